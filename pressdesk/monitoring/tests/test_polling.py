"""Polling against a real HTTP server on loopback: conditional GET, backoff, health, one claim."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import Organisation
from pressdesk.lib.safe_http.testing import LoopbackServer
from pressdesk.monitoring import polling, sources
from pressdesk.monitoring.models import Health, Host, Item, Source, SourcePoll
from pressdesk.monitoring.tests.support import fixture
from pressdesk.work import claims
from pressdesk.work.models import WorkState


def _watch(org: Organisation, url: str) -> Source:
    source, _ = sources.add(org, url)
    return source


def _due_now(source: Source) -> int:
    SourcePoll.objects.filter(source=source).update(due_at=timezone.now() - timedelta(seconds=1))
    return polling.schedule_due()


def test_it_stores_new_articles_and_asks_with_the_etag_next_time(
    org: Organisation, server: LoopbackServer
) -> None:
    server.route(
        "/feed.xml",
        body=fixture("lemonde.xml"),
        etag='"v1"',
        headers={"Content-Type": "application/rss+xml"},
    )
    source = _watch(org, server.url("/feed.xml"))
    assert _due_now(source) == 1
    poll = SourcePoll.objects.get(source=source)
    assert poll.state == WorkState.PENDING
    report = polling.run_poll(poll.pk)
    assert report is not None and len(report.new_items) == 2
    items = Item.objects.for_org(org).order_by("url")
    assert [i.url for i in items] == [
        "https://quotidien.example/economie/acme-usine",
        "https://quotidien.example/economie/oranges",
    ]
    assert all(i.state == WorkState.PENDING for i in items)  # each waits for the pipeline
    # Every new article has its wake-up task, written in the same transaction.
    assert DBTaskResult.objects.filter(task_path__endswith="process_item").count() == 2
    source.refresh_from_db()
    assert source.health == Health.OK and source.etag == '"v1"' and source.items_seen == 2
    assert source.title == "Le Quotidien du Sud – Économie"
    poll.refresh_from_db()
    assert poll.state == WorkState.DONE and poll.due_at > timezone.now()

    _due_now(source)
    again = polling.run_poll(poll.pk)
    assert again is not None and again.not_modified and again.new_items == []
    assert server.requests[-1].headers.get("if-none-match") == '"v1"'
    assert Item.objects.for_org(org).count() == 2


def test_it_backs_off_and_flags_a_failing_source_with_the_reason(
    org: Organisation, server: LoopbackServer
) -> None:
    server.route("/gone.xml", status=500, body=b"oops")
    source = _watch(org, server.url("/gone.xml"))
    delays = []
    for _ in range(3):
        _due_now(source)
        before = timezone.now()
        report = polling.run_poll(SourcePoll.objects.get(source=source).pk)
        assert report is not None and report.error
        delays.append((SourcePoll.objects.get(source=source).due_at - before).total_seconds())
    source.refresh_from_db()
    assert source.health == Health.FAILING and "500" in source.health_reason
    assert source.consecutive_errors == 3
    assert delays[0] > source.interval_seconds and delays[1] > 1.9 * delays[0]

    server.route("/gone.xml", body=fixture("lemonde.xml"))
    _due_now(source)
    polling.run_poll(SourcePoll.objects.get(source=source).pk)
    source.refresh_from_db()
    assert source.health == Health.OK and source.consecutive_errors == 0


def test_it_flags_a_feed_that_is_not_a_feed(org: Organisation, server: LoopbackServer) -> None:
    server.route("/page", body=b"<html><body>Not a feed</body></html>")
    source = _watch(org, server.url("/page"))
    _due_now(source)
    polling.run_poll(SourcePoll.objects.get(source=source).pk)
    source.refresh_from_db()
    assert source.health == Health.FAILING and source.health_reason


def test_it_never_lets_two_workers_poll_one_source(
    org: Organisation, server: LoopbackServer
) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    source = _watch(org, server.url("/feed.xml"))
    _due_now(source)
    poll = SourcePoll.objects.get(source=source)
    assert claims.claim(SourcePoll, poll.pk, by="worker-a") is not None
    assert polling.run_poll(poll.pk) is None  # worker b finds it taken
    assert server.requests == []
    assert _due_now(source) == 0  # a claimed poll is not scheduled again


def test_it_waits_for_the_hosts_turn_without_counting_a_poll(
    org: Organisation, server: LoopbackServer, settings: object
) -> None:
    settings.MONITORING_HOST_DELAY = 60  # type: ignore[attr-defined]
    server.route("/a.xml", body=fixture("lemonde.xml"))
    server.route("/b.xml", body=fixture("lemonde.xml"))
    first, second = _watch(org, server.url("/a.xml")), _watch(org, server.url("/b.xml"))
    _due_now(first)
    _due_now(second)
    polling.run_poll(SourcePoll.objects.get(source=first).pk)
    report = polling.run_poll(SourcePoll.objects.get(source=second).pk)
    assert report is not None and report.postponed_until is not None
    assert len(server.requests) == 1
    poll = SourcePoll.objects.get(source=second)
    assert poll.state == WorkState.DONE and poll.polls == 0 and poll.attempts == 0
    assert poll.due_at == Host.objects.get(name="127.0.0.1").next_allowed_at


def test_it_flags_a_source_that_went_silent(org: Organisation, server: LoopbackServer) -> None:
    server.route("/feed.xml", body=fixture("lemonde.xml"))
    source = _watch(org, server.url("/feed.xml"))
    _due_now(source)
    polling.run_poll(SourcePoll.objects.get(source=source).pk)
    Source.objects.filter(pk=source.pk).update(last_new_item_at=timezone.now() - timedelta(days=5))
    _due_now(source)
    polling.run_poll(SourcePoll.objects.get(source=source).pk)  # same two articles: nothing new
    source.refresh_from_db()
    assert source.health == Health.SILENT


def test_it_reads_a_news_sitemap(org: Organisation, server: LoopbackServer) -> None:
    server.route("/sitemap-news.xml", body=fixture("news-sitemap.xml", server))
    source, _ = sources.add(org, server.url("/sitemap-news.xml"))
    assert source.kind == "sitemap"
    _due_now(source)
    report = polling.run_poll(SourcePoll.objects.get(source=source).pk)
    assert report is not None and len(report.new_items) == 1
    item = Item.objects.for_org(org).get()
    assert item.title == "Acme Energy opens a plant in Lyon" and item.published is not None


def test_it_discovers_articles_on_a_section_page(org: Organisation, server: LoopbackServer) -> None:
    server.route("/business", body=fixture("section.html"), headers={"Content-Type": "text/html"})
    source, _ = sources.add(org, server.url("/business"), kind="page")
    _due_now(source)
    polling.run_poll(SourcePoll.objects.get(source=source).pk)
    urls = list(Item.objects.for_org(org).values_list("url", flat=True))
    assert urls == [server.url("/2026/11/26/acme-energy-opens-a-plant-in-lyon")]
