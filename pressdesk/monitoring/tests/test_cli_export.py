"""`pressdesk monitor sources export --format opml [FILE]`: the watched feeds, read back by
`sources import` as the same list."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Outlet
from pressdesk.monitoring import sources
from pressdesk.monitoring.models import Source, SourceKind
from pressdesk.monitoring.opml import read_opml
from pressdesk.monitoring.tests.support import monitor

FEEDS = [
    ("https://www.lanr.example.fr/rss.xml", SourceKind.FEED),
    ("https://mastodon.example/@acme.rss", SourceKind.SOCIAL),
    ("https://www.f3.example.fr/sitemap-news.xml", SourceKind.SITEMAP),
]


def _watched(org: Organisation) -> None:
    outlet = Outlet.objects.for_org(org).create(
        name="La Nouvelle République", name_normalised="nr", website="https://www.lanr.example.fr/"
    )
    for url, kind in FEEDS:
        sources.add(org, url, kind=kind, outlet=outlet if kind == SourceKind.FEED else None)
    Source.objects.for_org(org).filter(kind=SourceKind.FEED).update(title="NR & Indre « 37 »")


def test_it_exports_the_feeds_as_opml_to_a_file(
    org: Organisation, other_org: Organisation, tmp_path: Path
) -> None:
    _watched(org)
    target = tmp_path / "feeds.opml"
    err = io.StringIO()
    call_command(
        "monitor", "sources", "export", "--format", "opml", str(target), "--org", org.slug,
        stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    feeds = read_opml(target.read_bytes())
    assert {(f.title, f.xml_url, f.html_url) for f in feeds} == {
        ("NR & Indre « 37 »", FEEDS[0][0], "https://www.lanr.example.fr/"),
        (FEEDS[1][0], FEEDS[1][0], None),
    }
    assert "1 sitemap or page left out" in err.getvalue()
    # Read back into another organisation, it is the same list of feeds.
    out = monitor("sources", "import", str(target), "--org", other_org.slug)
    assert "2 added, 0 already watched, 0 refused." in out
    assert set(Source.objects.for_org(other_org).values_list("url", flat=True)) == {
        FEEDS[0][0],
        FEEDS[1][0],
    }


def test_it_exports_to_standard_output(org: Organisation) -> None:
    _watched(org)
    out = monitor("sources", "export", "--org", org.slug)
    assert out.startswith("<?xml") and "xmlUrl" in out
    assert len(read_opml(out.encode())) == 2


def test_it_reports_a_file_it_cannot_write(org: Organisation, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        monitor("sources", "export", str(tmp_path / "missing" / "feeds.opml"), "--org", org.slug)


def test_it_refuses_another_format(org: Organisation) -> None:
    with pytest.raises(CommandError):
        monitor("sources", "export", "--format", "csv", "--org", org.slug)
