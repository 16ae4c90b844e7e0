"""`pressdesk mailings parse-bounce` over flufl.bounce's 117 recorded bounces and non-bounces.

expected.json maps 115 files to the addresses that bounced and whether the failure was
temporary. Every expected address must be found; a temporary failure is never called hard; a
file expected to name no address gets no made-up recipient. The command runs without a database:
these tests have no `db` fixture, so any query would fail them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def bounce_set(corpus: Path) -> Path:
    folder = corpus / "mail" / "flufl-bounce"
    assert (folder / "expected.json").is_file(), f"no flufl-bounce corpus in {folder}"
    return folder


@pytest.fixture(scope="module")
def reports(bounce_set: Path) -> dict[str, dict[str, Any]]:
    files = sorted(str(p) for p in (bounce_set / "eml").glob("*.txt"))
    out = io.StringIO()
    call_command("mailings", "parse-bounce", "--json", *files, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == len(files) == 117
    return {Path(line["file"]).name: line for line in lines}


@pytest.fixture(scope="module")
def expected(bounce_set: Path) -> dict[str, dict[str, Any]]:
    return json.loads((bounce_set / "expected.json").read_text())


def test_it_finds_every_expected_address(reports: dict, expected: dict) -> None:
    missing = {}
    for name, want in expected.items():
        found = {r["address"] for r in reports[name]["recipients"]}
        lost = {a.lower() for a in want["addresses"]} - found
        if lost:
            missing[name] = sorted(lost)
    assert missing == {}


def test_it_never_calls_a_temporary_failure_hard(reports: dict, expected: dict) -> None:
    temporary = [name for name, want in expected.items() if want["temporary"]]
    assert len(temporary) == 11
    called_hard = [n for n in temporary if any(r["hard"] for r in reports[n]["recipients"])]
    assert called_hard == []


def test_it_makes_up_no_recipient(reports: dict, expected: dict) -> None:
    made_up = {}
    for name, want in expected.items():
        extra = {r["address"] for r in reports[name]["recipients"]} - {
            a.lower() for a in want["addresses"]
        }
        if extra:
            made_up[name] = sorted(extra)
    assert made_up == {}


def test_it_reads_every_file_as_a_bounce_or_says_why_not(reports: dict) -> None:
    # Each report is well formed; the readable hard bounces carry their server's words.
    for report in reports.values():
        assert report["kind"] in {"bounce", "auto_reply", "other"}
        for recipient in report["recipients"]:
            assert set(recipient) == {"address", "status", "reply_code", "hard", "reason"}
            if recipient["hard"]:
                assert recipient["reason"]
    hard = sum(r["hard"] for report in reports.values() for r in report["recipients"])
    print(f"\nflufl-bounce: {len(reports)} files, {hard} hard recipients")
