"""OPML import and export."""

from __future__ import annotations

import pytest

from pressdesk.monitoring.opml import OpmlError, OpmlFeed, read_opml, write_opml

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Revue de presse</title></head>
  <body>
    <outline text="Presse r\xc3\xa9gionale">
      <outline type="rss" text="Le Progr\xc3\xa8s"
               title="Le Progr\xc3\xa8s &lt;script&gt;x&lt;/script&gt;"
               xmlUrl="https://www.leprogres.example/rss" htmlUrl="https://www.leprogres.example/"/>
      <outline text="Ouest" xmlURL="http://ouest.example/feed.xml"/>
    </outline>
    <outline text="Local" xmlUrl="file:///etc/passwd"/>
    <outline text="A note without a feed"/>
  </body>
</opml>"""


def test_it_reads_nested_outlines() -> None:
    feeds = read_opml(OPML)
    assert feeds == [
        OpmlFeed(
            "Le Progrès", "https://www.leprogres.example/rss", "https://www.leprogres.example/"
        ),
        OpmlFeed("Ouest", "http://ouest.example/feed.xml", None),
        OpmlFeed("Local", None, None, "not an http(s) address: file:///etc/passwd"),
    ]


def test_it_writes_what_it_reads_back() -> None:
    feeds = [f for f in read_opml(OPML) if f.xml_url]
    written = write_opml(feeds, title="Acme")
    assert written.startswith(b"<?xml")
    assert read_opml(written) == feeds


def test_it_escapes_titles_it_writes() -> None:
    written = write_opml([OpmlFeed('A & "B" <c>', "https://a.example/rss", None)])
    assert b"&lt;c&gt;" in written
    assert read_opml(written)[0].title == 'A & "B"'


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<rss version='2.0'/>", "not an OPML file"),
        (b"<opml><body>", "not well-formed"),
        (b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml>&x;</opml>', "entity"),
    ],
)
def test_it_refuses_what_is_not_opml(data: bytes, reason: str) -> None:
    with pytest.raises(OpmlError) as refused:
        read_opml(data)
    assert reason in refused.value.reason
