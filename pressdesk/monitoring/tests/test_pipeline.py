"""The article pipeline end to end, from a loopback server serving recorded feeds and pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.lib.safe_http.testing import LoopbackServer
from pressdesk.monitoring import pipeline, polling, runner, sources, watch
from pressdesk.monitoring.models import (
    Byline,
    Clipping,
    Item,
    Licence,
    MonitoringSettings,
    Source,
    SourcePoll,
    Stage,
)
from pressdesk.monitoring.tests.support import fixture
from pressdesk.work.models import WorkState


def _poll(org: Organisation, server: LoopbackServer, path: str) -> list[pipeline.Outcome]:
    source, _ = sources.add(org, server.url(path))
    SourcePoll.objects.filter(source=source).update(due_at=timezone.now() - timedelta(seconds=1))
    polling.schedule_due()
    report = polling.run_poll(SourcePoll.objects.get(source=source).pk)
    assert report is not None and not report.error, report
    return runner.run_items(report.new_items)


@pytest.fixture
def queries(org: Organisation) -> None:
    watch.save(org, "CEO", '"Marie Dupont"', aliases=["Mme Dupont"], group="Spokespeople")
    watch.save(org, "Acme", "acme", group="Organisation")
    watch.save(org, "Oranges", "orange NOT (recolte OR agrumes)", group="Products")


def test_it_clips_full_text_feed_items_with_spans_on_the_original_text(
    org: Organisation, server: LoopbackServer, queries: None
) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    outcomes = _poll(org, server, "/feed.xml")
    assert [o.stage for o in outcomes] == [Stage.DONE, Stage.DONE]
    usine = Item.objects.for_org(org).get(url__endswith="acme-usine")
    assert usine.state == WorkState.DONE and usine.language == "fr"
    assert usine.payload == {}
    names = sorted(c.query.name for c in Clipping.objects.for_org(org))
    assert names == ["Acme", "CEO"]  # "Oranges" is excluded by its NOT
    ceo = Clipping.objects.for_org(org).get(query__name="CEO")
    marked = [
        ceo.passage[s["start"] - ceo.passage_offset : s["end"] - ceo.passage_offset]
        for s in ceo.spans
        if s["field"] == "text"
    ]
    assert marked == ["Marie Dupont", "Mme Dupont"]
    assert ceo.explanation


def test_it_keeps_only_an_extract_without_a_licence_and_the_text_with_one(
    org: Organisation, server: LoopbackServer, other_org: Organisation
) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    _poll(org, server, "/feed.xml")
    item = Item.objects.for_org(org).get(url__endswith="acme-usine")
    assert item.text == "" and not item.full_text_kept
    assert item.extract and len(item.extract) <= pipeline.EXTRACT_CHARS + 2
    assert "script" not in item.extract and "alert" not in item.extract

    MonitoringSettings.objects.for_org(other_org).create(licence=Licence.CFC)
    _poll(other_org, server, "/feed.xml")
    licensed = Item.objects.for_org(other_org).get(url__endswith="acme-usine")
    assert licensed.full_text_kept and "200 personnes" in licensed.text
    assert "alert(1)" not in licensed.text


def test_it_fetches_summary_only_items_and_quarantines_a_missing_page(
    org: Organisation, server: LoopbackServer, queries: None
) -> None:
    server.route("/feed.xml", body=fixture("summaries.xml", server))
    server.route(
        "/articles/acme-plant.html",
        body=fixture("acme-plant.html"),
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    journalist = Contact.objects.for_org(org).create(first_name="John", last_name="Smith")
    outcomes = _poll(org, server, "/feed.xml")
    by_stage = {o.stage: o for o in outcomes}
    assert set(by_stage) == {Stage.DONE, Stage.QUARANTINED}
    assert "404" in by_stage[Stage.QUARANTINED].reason
    plant = Item.objects.for_org(org).get(url__endswith="acme-plant.html")
    assert plant.canonical_url == "https://regional.example/2026/11/acme-energy-opens-plant"
    assert plant.language == "en" and "battery plant" in plant.extract
    assert plant.author_contact == journalist
    assert Clipping.objects.for_org(org).filter(item=plant, query__name="CEO").exists()
    missing = Item.objects.for_org(org).get(url__endswith="missing.html")
    assert missing.stage == Stage.QUARANTINED and "404" in missing.quarantine_reason
    source = Source.objects.for_org(org).get()
    assert source.health == "ok"  # a bad article never fails its source


def test_it_suggests_an_unknown_byline(org: Organisation, server: LoopbackServer) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    _poll(org, server, "/feed.xml")
    suggestion = Byline.objects.for_org(org).get()
    assert suggestion.name == "Claire Martin" and suggestion.articles == 1


def test_it_groups_republished_wire_copy_into_one_story(
    org: Organisation, server: LoopbackServer
) -> None:
    feed = fixture("lemonde.xml")
    server.route("/a.xml", body=feed)
    server.route("/b.xml", body=feed.replace(b"quotidien.example", b"autre.example"))
    _poll(org, server, "/a.xml")
    _poll(org, server, "/b.xml")
    first = Item.objects.for_org(org).get(url="https://quotidien.example/economie/acme-usine")
    copy = Item.objects.for_org(org).get(url="https://autre.example/economie/acme-usine")
    oranges = Item.objects.for_org(org).get(url="https://quotidien.example/economie/oranges")
    assert first.story_id == copy.story_id != oranges.story_id
    assert first.story is not None and first.story.appearance_count == 2


@pytest.mark.parametrize(
    ("content", "reason"),
    [("", "no text"), ("\ufffd\x01\x02\ufffd" * 50, "encoding garbage")],
)
def test_it_quarantines_an_unreadable_article_without_stopping(
    org: Organisation, content: str, reason: str
) -> None:
    bad = Item.objects.for_org(org).create(
        url="https://x.example/bad",
        url_key="bad",
        payload={"content": content, "content_is_full": True},
    )
    good = Item.objects.for_org(org).create(
        url="https://x.example/good",
        url_key="good",
        title="Acme",
        payload={"content": "<p>Acme opened a plant.</p>", "content_is_full": True},
    )
    outcomes = runner.run_items([bad.pk, good.pk], pages=lambda url: None)
    assert [o.stage for o in outcomes] == [Stage.QUARANTINED, Stage.DONE]
    bad.refresh_from_db()
    assert bad.state == WorkState.DONE and reason in bad.quarantine_reason
