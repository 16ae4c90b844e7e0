"""Reading feeds: every format, sanitised fields, and hostile XML refused safely."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from pressdesk.lib.safe_http.testing import loopback_server
from pressdesk.monitoring.feeds import FULL_TEXT_WORDS, parse_feed

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Le Journal &amp; Cie</title>
  <link>https://journal.example/</link>
  <item>
    <title>L\xe2\x80\x99usine rouvre &#224; Lyon</title>
    <link>/2026/11/usine-lyon</link>
    <guid isPermaLink="false">urn:journal:42</guid>
    <pubDate>Sat, 28 Nov 2026 09:30:00 +0100</pubDate>
    <dc:creator>Marie Dupont</dc:creator>
    <description>Un &lt;b&gt;r\xc3\xa9sum\xc3\xa9&lt;/b&gt;\xe2\x80\xa6</description>
    <content:encoded><![CDATA[<p>%s</p>
      <img src="/img/usine.jpg" onerror="alert(1)">]]></content:encoded>
    <media:thumbnail url="https://cdn.journal.example/thumb.jpg"/>
    <enclosure url="https://cdn.journal.example/photo.png" type="image/png" length="1"/>
  </item>
</channel>
</rss>""" % (b"mot " * (FULL_TEXT_WORDS + 10))

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Tech &lt;i&gt;News&lt;/i&gt;</title>
  <link href="https://tech.example/"/>
  <entry>
    <title>Short teaser</title>
    <link href="https://tech.example/a/1"/>
    <id>tag:tech.example,2026:1</id>
    <updated>2026-11-27T23:15:00-05:00</updated>
    <author><name>John Smith</name></author>
    <summary>Only the beginning\xe2\x80\xa6</summary>
    <content type="html">&lt;p&gt;Only a few words. Read more&lt;/p&gt;</content>
  </entry>
</feed>"""

RSS091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
 "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Ancien fil \xe9t\xe9</title><link>http://old.example/</link>
<item><title>Premier</title><link>http://old.example/1</link></item></channel></rss>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
  <channel rdf:about="http://rdf.example/"><title>RDF site</title><link>http://rdf.example/</link></channel>
  <item rdf:about="http://rdf.example/a"><title>A</title><link>http://rdf.example/a</link></item>
  <item rdf:about="http://rdf.example/b"><title>B</title><link>http://rdf.example/b</link></item>
</rdf:RDF>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON <b>News</b>",
        "home_page_url": "https://json.example/",
        "items": [
            {
                "id": "1",
                "url": "https://json.example/1",
                "title": "Hello <script>alert(1)</script>world",
                "content_html": '<p onclick="steal()">Body <a href="javascript:alert(1)">x</a></p>',
                "date_published": "2026-11-28T10:00:00+01:00",
                "authors": [{"name": "Ada"}],
                "image": "https://json.example/1.jpg",
            },
            {"id": "2", "content_text": "Plain <not a tag>", "url": "javascript:alert(2)"},
        ],
    }
).encode()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(fragment: str) -> None:
    """No script element, no event handler, no link or source outside http(s)/mailto."""
    reader = _Tags()
    reader.feed(fragment)
    for tag, attrs in reader.tags:
        assert tag not in {"script", "svg", "iframe", "object", "embed", "style"}, fragment
        for name, value in attrs.items():
            assert not name.startswith("on"), fragment
            if name in {"href", "src"} and value:
                assert value.startswith(("http://", "https://", "mailto:")), fragment


def test_it_reads_rss2_with_full_content() -> None:
    feed = parse_feed(RSS2, "https://journal.example/rss.xml")
    assert feed.malformed is None
    assert feed.kind == "rss20"
    assert feed.title == "Le Journal & Cie"
    assert feed.link == "https://journal.example/"
    [item] = feed.items
    assert item.title == "L’usine rouvre à Lyon"
    assert item.link == "https://journal.example/2026/11/usine-lyon"
    assert item.id == "urn:journal:42"
    assert item.published == datetime(2026, 11, 28, 8, 30, tzinfo=UTC)
    assert item.author == "Marie Dupont"
    assert "<b>résumé</b>" in item.summary
    assert item.content_is_full
    assert "onerror" not in item.content
    assert item.images == [
        "https://cdn.journal.example/photo.png",
        "https://cdn.journal.example/thumb.jpg",
        "https://journal.example/img/usine.jpg",
    ]


def test_it_reads_atom_and_sees_a_teaser() -> None:
    feed = parse_feed(ATOM)
    assert feed.kind == "atom10"
    assert feed.title == "Tech News"
    [item] = feed.items
    assert item.published == datetime(2026, 11, 28, 4, 15, tzinfo=UTC)
    assert item.author == "John Smith"
    assert item.id == "tag:tech.example,2026:1"
    assert not item.content_is_full


def test_it_reads_rss091_in_latin1_without_fetching_its_dtd() -> None:
    feed = parse_feed(RSS091)
    assert feed.malformed is None
    assert feed.title == "Ancien fil été"
    assert [i.link for i in feed.items] == ["http://old.example/1"]


def test_it_reads_rss1_rdf() -> None:
    feed = parse_feed(RDF)
    assert feed.kind == "rss10"
    assert [i.title for i in feed.items] == ["A", "B"]


def test_it_reads_json_feed_sanitised() -> None:
    feed = parse_feed(JSON_FEED)
    assert feed.malformed is None
    assert feed.kind == "json11"
    assert feed.title == "JSON News"
    first, second = feed.items
    assert first.title == "Hello world"
    assert first.author == "Ada"
    assert first.published == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert first.images == ["https://json.example/1.jpg"]
    assert_inert(first.content)
    assert "steal" not in first.content and "javascript" not in first.content
    assert second.link is None
    assert second.content == "Plain &lt;not a tag&gt;"


HOSTILE_ITEM = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>&lt;script&gt;alert('t')&lt;/script&gt;Hostile</title>
<link>javascript:alert(1)</link>
<item>
<title>&lt;img src=x onerror=alert(1)&gt;Title</title>
<link>javascript:alert(document.cookie)</link>
<author>&lt;script&gt;x()&lt;/script&gt;Eve</author>
<description><![CDATA[<svg><script>alert(1)</script></svg><a href="javascript:alert(1)">a</a>
<a href=" JaVaScRiPt:alert(1)">b</a><img src="data:image/svg+xml;base64,AAAA">
<iframe src="https://evil.example"></iframe><p style="x" onmouseover="alert(1)">text</p>
<a href="https://ok.example/">ok</a>]]></description>
</item></channel></rss>"""


def test_it_sanitises_hostile_fields() -> None:
    feed = parse_feed(HOSTILE_ITEM)
    assert feed.title == "Hostile"
    assert feed.link is None
    [item] = feed.items
    assert item.title == "Title"
    assert item.author == "Eve"
    assert item.link is None
    assert_inert(item.summary)
    assert "alert" not in item.summary
    assert 'href="https://ok.example/"' in item.summary
    assert item.images == []


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title></item></channel></rss>"""


def test_it_refuses_a_billion_laughs() -> None:
    started = time.monotonic()
    feed = parse_feed(BILLION_LAUGHS)
    assert time.monotonic() - started < 2
    assert feed.items == []
    assert feed.malformed is not None and "entity" in feed.malformed


def test_it_reads_no_file_through_an_external_entity() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title></item></channel></rss>"""
    feed = parse_feed(data)
    assert feed.items == []
    assert feed.malformed is not None and "entity" in feed.malformed
    assert "root:" not in feed.title


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss SYSTEM "{url}">',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{url}"> %remote;]>',
        '<!DOCTYPE rss [<!ENTITY ext SYSTEM "{url}">]>',
    ],
)
def test_it_makes_no_request_for_an_external_dtd_or_entity(doctype: str) -> None:
    with loopback_server() as server:
        server.route("/evil.dtd", body=b'<!ENTITY ext "pwned">')
        header = doctype.format(url=server.url("/evil.dtd")).encode()
        data = (
            b'<?xml version="1.0"?>\n'
            + header
            + b"""
<rss version="2.0"><channel><title>Safe</title><item><title>One</title></item></channel></rss>"""
        )
        feed = parse_feed(data)
        assert server.requests == []
    assert "pwned" not in feed.title
    assert all("pwned" not in item.title for item in feed.items)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'<?xml version="1.0"?><opml version="1.0"><body/></opml>', "not a feed"),
        (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>', "not a feed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff\xfe", "not a"),
        (b'{"version": "1", "items": []}', "not a JSON Feed"),
        (b"{not json", "not valid JSON"),
        (b'<rss version="2.0"><channel><title>Cut', "not a well-formed feed"),
    ],
)
def test_it_reports_what_is_not_a_sound_feed(data: bytes, reason: str) -> None:
    feed = parse_feed(data)
    assert feed.malformed is not None and reason in feed.malformed


def test_it_keeps_what_a_lenient_reading_recovers_from_a_broken_feed() -> None:
    data = b"""<rss version="2.0"><channel><title>Broken & co</title>
<item><title>Still here</title><link>https://b.example/1</link></item></channel>"""
    feed = parse_feed(data)
    assert feed.malformed is not None
    assert [item.title for item in feed.items] == ["Still here"]
