"""Extracting the article from a page, and refusing what holds none with a reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from pressdesk.monitoring.extraction import Unreadable, extract

FIXTURES = Path(__file__).parent / "fixtures"


def test_it_extracts_the_article_and_its_metadata() -> None:
    page = (FIXTURES / "article_fr.html").read_bytes()
    article = extract(page, url="https://journal.example/economie/usine-venissieux?utm_source=rss")
    assert article.title == "L’usine de Vénissieux rouvre"
    assert article.author == "Marie Dupont"
    assert article.date == datetime(2026, 11, 24, tzinfo=UTC)
    assert article.language == "fr"
    assert article.url == "https://journal.example/economie/usine-venissieux"
    assert "cent vingt salariés" in article.text
    assert "Paragraphe 7." in article.text
    assert "tracker" not in article.text
    assert "Mentions légales" not in article.text
    assert article.images == ["https://journal.example/images/usine.jpg"]


def test_it_reads_a_page_given_as_text() -> None:
    page = (FIXTURES / "article_fr.html").read_text(encoding="utf-8")
    assert "Vénissieux" in extract(page).text


def test_it_reads_a_page_in_latin1() -> None:
    page = (FIXTURES / "article_fr.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">').replace("’", "'")
    article = extract(page.encode("iso-8859-1", "xmlcharrefreplace"))
    assert "salariés retrouveront" in article.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"abc\x00\x01\x02\x03def", "binary"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        (b"<<<>>><html<<body>>\xff\xfe\x00", "binary"),
        (b"<html><head><title>x</title></head></html>", "no article text"),
    ],
)
def test_it_reports_a_page_without_an_article(data: bytes, reason: str) -> None:
    with pytest.raises(Unreadable) as unreadable:
        extract(data)
    assert reason in unreadable.value.reason


def test_it_reads_broken_markup() -> None:
    text = "Une phrase assez longue pour être un article, répétée plusieurs fois. " * 20
    page = f"<html><body><div><p>{text}<p><b>non fermé<div></table></body>".encode()
    assert "assez longue" in extract(page).text


def test_it_refuses_encoding_garbage() -> None:
    garbage = "r\ufffd\ufffdsum\ufffd du pr\ufffd\ufffdsident " * 200
    with pytest.raises(Unreadable) as unreadable:
        extract(f"<html><body><article><p>{garbage}</p></article></body></html>")
    assert "garbled" in unreadable.value.reason


def test_it_ignores_a_canonical_url_that_is_not_http() -> None:
    page = (FIXTURES / "article_fr.html").read_text(encoding="utf-8")
    page = page.replace("https://journal.example/economie/usine-venissieux", "javascript:alert(1)")
    article = extract(page, url="https://journal.example/a")
    assert article.url == "https://journal.example/a"
