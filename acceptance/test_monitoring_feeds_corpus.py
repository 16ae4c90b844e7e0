"""Every feed file of the corpus goes through `pressdesk monitor parse-feed` without an exception.

feedparser's own suite says in each file what to expect (`Expect: bozo …`): every file expected
malformed must be reported malformed. KML and OPML documents of the W3C set are not feeds and
must be refused with a reason. No printed field may carry script: the HTML fields are read
back tag by tag (no script, SVG or frame, no on… attribute, no link outside http(s)/mailto), the
text fields must hold no tag at all. Real feeds (rss-parser) keep their item counts and dates.
Run with `pytest -s` for the per-corpus report.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HTML_FIELDS = ("summary", "content")
TEXT_FIELDS = ("title", "author", "id")
_EXPECT = re.compile(rb"Expect:\s*(.*)")
_HEADER = re.compile(rb"Header:\s*Content-type:\s*([^\r\n]+)", re.I)


class _Inert(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "svg", "iframe", "object", "embed", "style", "frame", "math"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}=")
            if name in {"href", "src", "action", "formaction"} and value:
                if not value.startswith(("http://", "https://", "mailto:")):
                    self.problems.append(f"{name}={value[:40]}")


def script_problems(fields: dict[str, Any]) -> list[str]:
    """What in one printed item (or feed) could run script in a browser."""
    problems = []
    for key in HTML_FIELDS:
        reader = _Inert()
        reader.feed(fields.get(key) or "")
        problems += [f"{key}: {p}" for p in reader.problems]
    for key in TEXT_FIELDS:
        if re.search(r"</?[a-z][^>]*>|<!--", fields.get(key) or "", re.I):
            problems.append(f"{key}: markup in a text field")
    for key in ("link",):
        link = fields.get(key)
        if link and not link.startswith(("http://", "https://")):
            problems.append(f"{key}: {link[:40]}")
    return problems


def parse_feed_cli(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(printed JSON, None) or (printed JSON or None, the error message) for one file."""
    out = StringIO()
    try:
        call_command("monitor", "parse-feed", str(path), "--json", stdout=out)
    except CommandError as exc:
        printed = out.getvalue()
        return (json.loads(printed) if printed.strip() else None), str(exc)
    return json.loads(out.getvalue()), None


def feed_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".source"))


@pytest.mark.parametrize("corpus_set", ["feedparser", "w3c-feedvalidator", "rss-parser"])
def test_it_reads_every_feed_file(corpus: Path, corpus_set: str) -> None:
    files = feed_files(corpus / "feeds" / corpus_set)
    assert files
    outcome: Counter[str] = Counter()
    unsafe: list[str] = []
    missed_malformed: list[str] = []
    non_feeds_accepted: list[str] = []
    for path in files:
        printed, error = parse_feed_cli(path)  # any exception but CommandError fails the test
        data = path.read_bytes()
        if printed is not None:
            outcome["malformed" if printed["malformed"] else "sound"] += 1
            for fields in [printed, *printed["items"]]:
                unsafe += [f"{path}: {p}" for p in script_problems(fields)]
        if error:
            outcome["refused, exit 1"] += 1
        expect = _EXPECT.search(data[:2000])
        if expect and re.match(rb"\s*bozo", expect.group(1)) and _HEADER.search(data[:2000]) is None:
            if not (printed and printed["malformed"]) and not error:
                missed_malformed.append(str(path))
        if path.suffix in {".kml", ".opml"} and not error:
            non_feeds_accepted.append(str(path))
    print(f"\n{corpus_set}: {len(files)} files, {dict(outcome)}")
    assert not unsafe, unsafe[:20]
    assert not missed_malformed, missed_malformed
    assert not non_feeds_accepted, non_feeds_accepted[:20]


def test_it_flags_the_feeds_expected_malformed_with_their_http_headers(corpus: Path) -> None:
    """The few feedparser cases whose malformation is in their HTTP headers (text/plain…)."""
    from pressdesk.monitoring.feeds import parse_feed

    checked = 0
    for path in feed_files(corpus / "feeds" / "feedparser"):
        data = path.read_bytes()
        expect, header = _EXPECT.search(data[:2000]), _HEADER.search(data[:2000])
        if expect and header and re.match(rb"\s*bozo", expect.group(1)):
            checked += 1
            feed = parse_feed(data, content_type=header.group(1).decode().strip())
            assert feed.malformed, path
    assert checked


# The rss-parser corpus: real feeds with known item counts.
ITEM_COUNTS = {"guardian.rss": 55, "heise.atom": 15}


def test_it_keeps_real_feeds_whole(corpus: Path) -> None:
    folder = corpus / "feeds" / "rss-parser"
    for name, count in ITEM_COUNTS.items():
        [path] = list(folder.rglob(name))
        printed, error = parse_feed_cli(path)
        assert error is None and printed is not None
        assert len(printed["items"]) == count, name
        assert all(item["published"] for item in printed["items"]), name
        assert all(item["link"] for item in printed["items"]), name
