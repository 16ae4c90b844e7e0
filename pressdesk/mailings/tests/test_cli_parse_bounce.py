"""`pressdesk mailings parse-bounce FILE… [--json]`: stateless, one JSON object per file and line.

No test here has database access (pytest-django refuses any query), and the real-process test
points DATABASE_URL at a server that does not exist.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

FIXTURES = Path(__file__).parent / "fixtures"
PRESSDESK = str(Path(sys.executable).with_name("pressdesk"))


def parse_bounce(*args: str) -> str:
    out = io.StringIO()
    call_command("mailings", "parse-bounce", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_prints_one_json_object_per_file() -> None:
    files = [str(FIXTURES / n) for n in ("dsn_hard_511.eml", "ooo_fr.eml", "not_bounce.eml")]
    lines = [json.loads(line) for line in parse_bounce("--json", *files).splitlines()]
    assert lines == [
        {
            "file": files[0],
            "kind": "bounce",
            "recipients": [
                {
                    "address": "claire.dubois@example.net",
                    "status": "5.1.1",
                    "reply_code": 550,
                    "hard": True,
                    "reason": "550 5.1.1 <claire.dubois@example.net>: Recipient address "
                    "rejected: User unknown in virtual mailbox table",
                }
            ],
            "new_address": None,
            "return_date": None,
        },
        {
            "file": files[1],
            "kind": "auto_reply",
            "recipients": [],
            "new_address": "elise.moreau@hebdo.example",
            "return_date": "2027-01-12",
        },
        {
            "file": files[2],
            "kind": "other",
            "recipients": [],
            "new_address": None,
            "return_date": None,
        },
    ]


def test_it_reports_an_unreadable_file_and_still_prints_the_others(tmp_path: Path) -> None:
    out = io.StringIO()
    missing = str(tmp_path / "absent.eml")
    with pytest.raises(CommandError):
        call_command(
            "mailings",
            "parse-bounce",
            "--json",
            missing,
            str(FIXTURES / "gmail.eml"),
            stdout=out,
            stderr=io.StringIO(),
        )
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["file"] == missing and first["error"]
    assert second["recipients"][0]["address"] == "jules.martin@gmail.com"


def test_it_writes_a_readable_report_in_english() -> None:
    with translation.override("en"):
        text = parse_bounce(str(FIXTURES / "dsn_soft_522.eml"), str(FIXTURES / "ooo_fr.eml"))
    assert "Kind: bounce" in text
    assert "marc.petit@example.org — soft (552 5.2.2)" in text
    assert "Kind: automatic reply" in text
    assert "New address: elise.moreau@hebdo.example" in text
    assert "Back on: 12 January 2027" in text


def test_it_writes_a_readable_report_in_french() -> None:
    with translation.override("fr"):
        text = parse_bounce(str(FIXTURES / "exchange_fr.eml"), str(FIXTURES / "ooo_fr.eml"))
    assert "Type\u00a0: rejet" in text
    assert "sophie.lefevre@exemple-presse.fr — définitif (550 5.1.10)" in text
    assert "Type\u00a0: réponse automatique" in text
    assert "De retour le\u00a0: 12 janvier 2027" in text


def test_the_pressdesk_command_runs_without_a_database(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        PRESSDESK_VAR=str(tmp_path),
        LANG="C.UTF-8",
    )
    done = subprocess.run(
        [
            PRESSDESK,
            "mailings",
            "parse-bounce",
            "--json",
            str(FIXTURES / "postfix_text.eml"),
            str(tmp_path / "absent.eml"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["recipients"][0]["hard"] is True
    assert "error" in second
