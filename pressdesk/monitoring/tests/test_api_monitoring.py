"""The monitoring API: sources and clippings, scoped to the token's organisation."""

from __future__ import annotations

import json

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.monitoring import sources, watch
from pressdesk.monitoring.models import Clipping, Source, Verdict
from pressdesk.monitoring.tests.support import article

BASE = "/api/v1/monitoring"


def test_it_lists_and_adds_sources(client: Client, bob: User, org: Organisation) -> None:
    sources.add(org, "https://quotidien.example/rss.xml")
    assert [s["url"] for s in client.get(f"{BASE}/sources", **bearer(bob)).json()] == [
        "https://quotidien.example/rss.xml"
    ]
    body = json.dumps({"url": "http://169.254.169.254/"})
    r = client.post(f"{BASE}/sources", body, content_type="application/json", **bearer(bob))
    assert r.status_code == 400 and Source.objects.for_org(org).count() == 1


def test_it_lists_and_triages_clippings(
    client: Client, bob: User, vera: User, org: Organisation
) -> None:
    watch.save(org, "Acme", "acme")
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    rows = client.get(f"{BASE}/clippings", **bearer(vera)).json()
    assert rows[0]["query"] == "Acme" and rows[0]["spans"]
    url = f"{BASE}/clippings/{rows[0]['id']}"
    body = json.dumps({"verdict": "relevant", "tags": ["usine"]})
    assert (
        client.patch(url, body, content_type="application/json", **bearer(vera)).status_code == 403
    )
    r = client.patch(url, body, content_type="application/json", **bearer(bob))
    assert r.json()["verdict"] == "relevant"
    clipping = Clipping.objects.for_org(org).get()
    assert clipping.verdict == Verdict.RELEVANT and clipping.tags == ["usine"]


def test_it_hides_another_organisations_clippings(
    client: Client, charlie: User, org: Organisation
) -> None:
    watch.save(org, "Acme", "acme")
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    clipping = Clipping.objects.for_org(org).get()
    assert client.get(f"{BASE}/clippings", **bearer(charlie)).json() == []
    body = json.dumps({"verdict": "irrelevant"})
    r = client.patch(
        f"{BASE}/clippings/{clipping.pk}", body, content_type="application/json", **bearer(charlie)
    )
    assert r.status_code == 404
