"""Adding and importing sources: refused URLs store nothing; each source gets its poll."""

from __future__ import annotations

import json

import pytest
from django.core.management.base import CommandError

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import sources
from pressdesk.monitoring.models import Source, SourceKind, SourcePoll
from pressdesk.monitoring.tests.support import FIXTURES, monitor

REFUSED = [
    "http://127.0.0.1/feed.xml",
    "http://169.254.169.254/latest/meta-data/",
    "http://2130706433/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://[::ffff:127.0.0.1]/",
]


@pytest.mark.parametrize("url", REFUSED)
def test_it_refuses_internal_and_non_http_urls_and_stores_nothing(
    org: Organisation, url: str
) -> None:
    with pytest.raises(CommandError) as caught:
        monitor("sources", "add", url, "--org", org.slug)
    assert "Refused" in str(caught.value)
    assert not Source.objects.for_org(org).exists()
    assert not SourcePoll.objects.for_org(org).exists()


def test_it_adds_a_source_with_its_outlet_and_a_due_poll(org: Organisation) -> None:
    out = monitor(
        "sources",
        "add",
        "https://quotidien.example/rss.xml",
        "--outlet",
        "Le Quotidien",
        "--org",
        org.slug,
    )
    source = Source.objects.for_org(org).get()
    assert f"Added source {source.pk}" in out
    assert source.outlet is not None and source.outlet.name == "Le Quotidien"
    assert source.kind == SourceKind.FEED
    assert source.poll.state == "done"  # between polls; the scheduler makes it pending when due


def test_it_does_not_add_the_same_url_twice(org: Organisation) -> None:
    first, created = sources.add(org, "https://quotidien.example/rss.xml")
    again, created_again = sources.add(org, " https://quotidien.example/rss.xml ")
    assert created and not created_again and first.pk == again.pk


def test_it_imports_an_opml_file_and_reports_the_refused_entry(org: Organisation) -> None:
    out = monitor("sources", "import", str(FIXTURES / "sources.opml"), "--org", org.slug)
    urls = set(Source.objects.for_org(org).values_list("url", flat=True))
    assert urls == {"https://quotidien.example/economie/rss.xml", "https://wire.example/feed"}
    assert "169.254.169.254" in out and "2 added" in out and "1 refused" in out


def test_it_lists_sources_with_their_health_as_json(
    org: Organisation, other_org: Organisation
) -> None:
    sources.add(org, "https://quotidien.example/rss.xml")
    sources.add(other_org, "https://other.example/rss.xml")
    rows = [
        json.loads(line)
        for line in monitor("sources", "list", "--json", "--org", org.slug).splitlines()
    ]
    assert [r["url"] for r in rows] == ["https://quotidien.example/rss.xml"]
    assert rows[0]["health"] == "new"
