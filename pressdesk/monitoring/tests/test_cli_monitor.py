"""`pressdesk monitor poll|ingest|queries`: call_command over recorded files and a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from pressdesk.accounts.models import Organisation
from pressdesk.lib.safe_http.testing import LoopbackServer
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Clipping, Item, Stage, WatchQuery
from pressdesk.monitoring.tests.support import FIXTURES, fixture, monitor


def test_it_polls_once_and_runs_the_pipeline(org: Organisation, server: LoopbackServer) -> None:
    watch.save(org, "Acme", "acme")
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    monitor("sources", "add", server.url("/feed.xml"), "--org", org.slug)
    out = monitor("poll", "--once", "--org", org.slug)
    assert "2 new, 1 clippings, 0 quarantined" in out
    assert Clipping.objects.for_org(org).count() == 1
    assert "not modified" not in monitor("poll", "--once", "--org", org.slug)  # no ETag: 0 new
    assert Item.objects.for_org(org).count() == 2


def test_it_polls_only_due_sources_without_once(org: Organisation, server: LoopbackServer) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    monitor("sources", "add", server.url("/feed.xml"), "--org", org.slug)
    assert "2 new" in monitor("poll", "--org", org.slug)
    assert monitor("poll", "--org", org.slug) == ""  # next poll is 15 minutes away


def test_it_refuses_an_unknown_source(org: Organisation) -> None:
    with pytest.raises(CommandError):
        monitor("poll", "--source", "999", "--org", org.slug)


def test_it_ingests_local_feeds_and_pages_through_a_url_map(
    org: Organisation, tmp_path: Path
) -> None:
    watch.save(org, "Acme", "acme")
    (tmp_path / "feed.xml").write_bytes(
        fixture("summaries.xml").replace(b"HOST", b"regional.example")
    )
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "plant.html").write_bytes(fixture("acme-plant.html"))
    url_map = tmp_path / "map.txt"
    url_map.write_text("http://regional.example/articles/acme-plant.html pages/plant.html\n")
    out = monitor(
        "ingest", str(tmp_path / "feed.xml"), "--url-map", str(url_map), "--org", org.slug
    )
    plant = Item.objects.for_org(org).get(url="http://regional.example/articles/acme-plant.html")
    assert plant.stage == Stage.DONE and "battery plant" in plant.extract
    # The other article's page is not in the map: nothing is fetched, its summary is used.
    other = Item.objects.for_org(org).get(url__endswith="missing.html")
    assert other.stage == Stage.DONE and other.extract == "This one's page is gone."
    assert "2 new articles" in out and "1 clippings" in out


def test_it_ingests_a_folder_of_html_pages(org: Organisation, tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(fixture("acme-plant.html"))
    (tmp_path / "notes.txt").write_text("ignored")
    out = monitor("ingest", str(tmp_path), "--org", org.slug)
    item = Item.objects.for_org(org).get()
    assert item.url.startswith("file://") and item.title.startswith("Acme Energy opens")
    assert "1 files" in out


def test_it_reports_a_missing_path(org: Organisation) -> None:
    with pytest.raises(CommandError, match="No such file"):
        monitor("ingest", "/nonexistent/feed.xml", "--org", org.slug)


def test_it_adds_lists_and_tests_queries(org: Organisation) -> None:
    monitor("ingest", str(FIXTURES / "lemonde.xml"), "--org", org.slug)
    out = monitor(
        "queries",
        "add",
        "CEO",
        '"Marie Dupont"',
        "--alias",
        "Mme Dupont",
        "--group",
        "People",
        "--org",
        org.slug,
    )
    assert "Saved query" in out
    rows = [
        json.loads(line)
        for line in monitor("queries", "list", "--json", "--org", org.slug).splitlines()
    ]
    assert (
        rows[0]["name"] == "CEO"
        and rows[0]["aliases"] == ["Mme Dupont"]
        and rows[0]["group"] == "People"
    )
    tested = monitor("queries", "test", "acme AND usine", "--json", "--org", org.slug).splitlines()
    hit = json.loads(tested[0])
    assert hit["url"].endswith("acme-usine") and "1 articles match" in tested[-1]


def test_it_reports_a_syntax_error_with_its_position_and_stores_nothing(org: Organisation) -> None:
    with pytest.raises(CommandError, match="position 9"):
        monitor("queries", "add", "Bad", "acme AND (usine", "--org", org.slug)
    assert not WatchQuery.objects.for_org(org).exists()
