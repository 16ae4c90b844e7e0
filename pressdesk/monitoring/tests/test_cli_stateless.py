"""`pressdesk monitor parse-feed` and `extract`: stateless (without `db`, any query would fail)."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk.monitoring.tests.test_feeds import HOSTILE_ITEM, RSS2, assert_inert

FIXTURES = Path(__file__).parent / "fixtures"
PRESSDESK = str(Path(sys.executable).parent / "pressdesk")


def run(*args: str) -> str:
    out = StringIO()
    call_command("monitor", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_feed_as_json(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS2)
    printed = json.loads(
        run("parse-feed", str(feed), "--url", "https://journal.example/rss", "--json")
    )
    assert printed["title"] == "Le Journal & Cie"
    assert printed["link"] == "https://journal.example/"
    assert printed["malformed"] is None
    [item] = printed["items"]
    assert set(item) >= {"title", "link", "id", "published", "author", "summary", "content"}
    assert item["published"] == "2026-11-28T08:30:00+00:00"
    assert item["link"] == "https://journal.example/2026/11/usine-lyon"


def test_it_prints_a_feed_as_text(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS2)
    printed = run("parse-feed", str(feed))
    assert "title: Le Journal & Cie" in printed
    assert "items: 1" in printed
    assert "  author: Marie Dupont" in printed


def test_it_prints_hostile_fields_sanitised(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(HOSTILE_ITEM)
    printed = json.loads(run("parse-feed", str(feed), "--json"))
    [item] = printed["items"]
    for key in ("title", "author", "summary", "content"):
        assert "<script" not in item[key]
        assert_inert(item[key])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'<!DOCTYPE x [<!ENTITY a "b">]><rss/>', "entity declarations are refused"),
        (b"", "empty document"),
        (b"<opml version='2.0'><body/></opml>", "not a feed"),
    ],
)
def test_it_fails_on_what_is_not_a_feed(tmp_path: Path, content: bytes, message: str) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(content)
    with pytest.raises(CommandError) as failed:
        run("parse-feed", str(feed))
    assert message in str(failed.value)


def test_it_fails_on_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as failed:
        run("parse-feed", str(tmp_path / "nope.xml"))
    assert "Cannot read" in str(failed.value)
    with pytest.raises(CommandError):
        run("extract", str(tmp_path))


def test_it_extracts_an_article_as_json() -> None:
    printed = json.loads(
        run(
            "extract",
            str(FIXTURES / "article_fr.html"),
            "--url",
            "https://journal.example/x",
            "--json",
        )
    )
    assert printed["title"] == "L’usine de Vénissieux rouvre"
    assert printed["author"] == "Marie Dupont"
    assert printed["date"] == "2026-11-24"
    assert printed["language"] == "fr"
    assert printed["url"] == "https://journal.example/economie/usine-venissieux"
    assert "cent vingt salariés" in printed["text"]


def test_it_extracts_an_article_as_text() -> None:
    printed = run("extract", str(FIXTURES / "article_fr.html"))
    assert "title: L’usine de Vénissieux rouvre" in printed
    assert "language: fr" in printed
    assert "cent vingt salariés" in printed


def test_it_exits_1_with_the_reason_for_an_unreadable_page(tmp_path: Path) -> None:
    page = tmp_path / "scan.html"
    page.write_bytes(b"%PDF-1.4 binary")
    result = subprocess.run(
        [PRESSDESK, "monitor", "extract", str(page)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "not a web page but a PDF document" in result.stderr
