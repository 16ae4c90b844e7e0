"""The sources page: health, adding a source (refused ones say why), "poll now"."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import sources
from pressdesk.monitoring.models import Health, Source, SourcePoll

URL = "/o/acme/monitoring/sources/"


def test_it_lists_sources_with_their_health_and_reason(as_vera: Client, org: Organisation) -> None:
    failing, _ = sources.add(org, "https://failing.example/rss")
    Source.objects.filter(pk=failing.pk).update(health=Health.FAILING, health_reason="HTTP 503")
    sources.add(org, "https://fine.example/rss")
    r = as_vera.get(URL)
    page = r.content.decode()
    assert r.status_code == 200
    assert "HTTP 503" in page and "Failing" in page and "1 source needs attention" in page
    assert "Poll now" not in page and "Add the source" not in page  # a viewer only reads


def test_it_adds_a_source(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {"url": "https://quotidien.example/rss.xml", "kind": ""})
    assert r.status_code == 302
    assert Source.objects.for_org(org).get().url == "https://quotidien.example/rss.xml"


def test_it_refuses_an_internal_address_and_says_why(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {"url": "http://169.254.169.254/latest/", "kind": ""})
    assert r.status_code == 400
    assert "Refused" in r.content.decode()
    assert not Source.objects.for_org(org).exists()


def test_it_lets_no_viewer_add(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(URL, {"url": "https://x.example/rss"}).status_code == 403
    assert not Source.objects.for_org(org).exists()


def test_it_polls_now(as_bob: Client, org: Organisation) -> None:
    source, _ = sources.add(org, "https://quotidien.example/rss.xml")
    SourcePoll.objects.filter(source=source).update(due_at=timezone.now() + timedelta(hours=1))
    r = as_bob.post(f"{URL}{source.pk}/poll/")
    assert r.status_code == 302
    assert SourcePoll.objects.get(source=source).due_at <= timezone.now()
    assert as_bob.get(f"{URL}{source.pk}/poll/").status_code == 405


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    source, _ = sources.add(org, "https://quotidien.example/rss.xml")
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(f"{URL}{source.pk}/poll/").status_code == 404
