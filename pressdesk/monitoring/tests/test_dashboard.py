"""Monitoring's dashboard card (clippings to triage, spikes) and clippings in global search."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.modules import global_search
from pressdesk.monitoring import dashboard, watch
from pressdesk.monitoring.models import Clipping
from pressdesk.monitoring.tests.support import article


def _clipped(org: Organisation, count: int) -> None:
    watch.save(org, "Acme", "acme")
    for n in range(count):
        article(org, f"Acme news {n}", f"<p>Acme opened plant number {n}.</p>")


def test_it_counts_clippings_to_triage_on_the_dashboard(as_vera: Client, org: Organisation) -> None:
    _clipped(org, 2)
    page = as_vera.get("/o/acme/").content.decode()
    assert "Clippings to triage" in page
    assert dashboard.glance(org)["to_triage"] == 2


def test_it_shows_a_spike(org: Organisation) -> None:
    _clipped(org, 6)
    assert [s["name"] for s in dashboard.spikes(org)] == ["Acme"]
    # With as many every day of the last two weeks, six is the usual volume.
    clippings = list(Clipping.objects.for_org(org))
    query = clippings[0].query
    now = timezone.now()
    history = []
    for day in range(2, 16):
        for n in range(6):
            item = article(org, f"Old Acme {day}-{n}", f"<p>Acme old news {day} {n}.</p>")
            history.append(item.pk)
    Clipping.objects.for_org(org).filter(item_id__in=history, query=query).update(
        created=now - timedelta(days=3)
    )
    assert dashboard.spikes(org) == []


def test_it_finds_clippings_in_the_global_search(
    as_vera: Client, org: Organisation, other_org: Organisation
) -> None:
    _clipped(org, 1)
    hits = [h for h in global_search(org, "acme plant") if h.kind == "Clipping"]
    assert [h.title for h in hits] == ["Acme news 0"]
    assert global_search(other_org, "acme plant") == []
    r = as_vera.get(hits[0].url)
    assert [c.item.title for c in r.context["page"]] == ["Acme news 0"]
