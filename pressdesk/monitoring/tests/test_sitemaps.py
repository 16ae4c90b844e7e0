"""News sitemaps, sitemap indexes and their hostile variants."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

from pressdesk.monitoring.sitemaps import parse_sitemap

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://journal.example/economie/usine-venissieux</loc>
    <news:news>
      <news:publication><news:name>Le Journal</news:name><news:language>FR</news:language>
      </news:publication>
      <news:publication_date>2026-11-28T08:30:00+01:00</news:publication_date>
      <news:title>L&#8217;usine &lt;b&gt;rouvre&lt;/b&gt;</news:title>
    </news:news>
  </url>
  <url><loc>/sport/match-nul</loc><lastmod>2026-11-27</lastmod></url>
  <url><loc>javascript:alert(1)</loc></url>
  <url><loc>https://journal.example/economie/usine-venissieux</loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://journal.example/sitemap-news.xml</loc></sitemap>
  <sitemap><loc>https://journal.example/sitemap-2026-11.xml.gz</loc><lastmod>2026-11-28</lastmod></sitemap>
  <sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>"""


def test_it_reads_a_news_sitemap() -> None:
    sitemap = parse_sitemap(NEWS, "https://journal.example/sitemap-news.xml")
    assert sitemap.malformed is None
    first, second = sitemap.entries
    assert first.url == "https://journal.example/economie/usine-venissieux"
    assert first.title == "L’usine rouvre"
    assert first.published == datetime(2026, 11, 28, 7, 30, tzinfo=UTC)
    assert first.language == "fr"
    assert second.url == "https://journal.example/sport/match-nul"
    assert second.published == datetime(2026, 11, 27, tzinfo=UTC)
    assert second.language is None


def test_it_reads_a_sitemap_index() -> None:
    sitemap = parse_sitemap(INDEX)
    assert sitemap.entries == []
    assert sitemap.sitemaps == [
        "https://journal.example/sitemap-news.xml",
        "https://journal.example/sitemap-2026-11.xml.gz",
    ]


def test_it_reads_a_gzipped_sitemap() -> None:
    assert len(parse_sitemap(gzip.compress(NEWS), "https://journal.example/s.xml.gz").entries) == 2


def test_it_refuses_a_gzip_bomb() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 60_000_000 + b"</urlset>")
    assert "decompressed" in (parse_sitemap(bomb).malformed or "")


def test_it_refuses_entities() -> None:
    data = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>"""
    assert "entity" in (parse_sitemap(data).malformed or "")


def test_it_reads_a_text_sitemap() -> None:
    data = b"https://journal.example/a-b-c-d\nhttps://journal.example/e-f-g-h\n"
    assert [e.url for e in parse_sitemap(data).entries] == [
        "https://journal.example/a-b-c-d",
        "https://journal.example/e-f-g-h",
    ]


def test_it_says_what_is_not_a_sitemap() -> None:
    assert "not a sitemap" in (parse_sitemap(b"<rss version='2.0'/>").malformed or "")
    assert "well-formed" in (parse_sitemap(b"<urlset><url>").malformed or "")
    assert parse_sitemap(b"").malformed == "empty"
    assert parse_sitemap(b"hello world\nnot urls").malformed
