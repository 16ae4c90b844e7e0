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


def test_it_retries_and_discards_quarantined_articles(
    client: Client, bob: User, vera: User, charlie: User, org: Organisation
) -> None:
    from pressdesk.accounts.models import AuditEntry
    from pressdesk.monitoring.models import Stage
    from pressdesk.monitoring.tests.test_view_quarantine import _garbled

    first, second = _garbled(org, "One"), _garbled(org, "Two")
    rows = client.get(f"{BASE}/quarantine", **bearer(vera)).json()
    assert {r["headline"] for r in rows} == {"One", "Two"} and "garbage" in rows[0]["reason"]
    assert client.post(f"{BASE}/quarantine/{first.pk}/retry", **bearer(vera)).status_code == 403
    assert client.post(f"{BASE}/quarantine/{first.pk}/retry", **bearer(charlie)).status_code == 404
    assert client.post(f"{BASE}/quarantine/{first.pk}/retry", **bearer(bob)).status_code == 204
    assert client.post(f"{BASE}/quarantine/{first.pk}/discard", **bearer(bob)).status_code == 409
    assert client.post(f"{BASE}/quarantine/{second.pk}/discard", **bearer(bob)).status_code == 204
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Stage.NEW, Stage.DISCARDED)
    assert AuditEntry.objects.filter(action__startswith="monitoring.quarantine_").count() == 2


def test_it_accepts_and_rejects_byline_suggestions(
    client: Client, bob: User, vera: User, charlie: User, org: Organisation
) -> None:
    from pressdesk.monitoring.models import Byline
    from pressdesk.monitoring.tests.test_view_bylines import _suggested

    byline, contact, item = _suggested(org)
    rows = client.get(f"{BASE}/bylines", **bearer(vera)).json()
    assert rows[0]["name"] == "J. Fournier"
    assert rows[0]["candidates"] == [{"id": contact.pk, "name": "Julien Fournier"}]
    url = f"{BASE}/bylines/{byline.pk}"
    body = json.dumps({"contact": contact.pk})
    for user, status in ((vera, 403), (charlie, 404)):
        r = client.post(f"{url}/accept", body, content_type="application/json", **bearer(user))
        assert r.status_code == status
    r = client.post(f"{url}/accept", "{}", content_type="application/json", **bearer(bob))
    assert r.status_code == 400  # which journalist?
    r = client.post(f"{url}/accept", body, content_type="application/json", **bearer(bob))
    assert r.status_code == 200 and r.json() == {"articles": 1}
    item.refresh_from_db()
    assert item.author_contact == contact
    assert client.post(f"{url}/reject", **bearer(bob)).status_code == 409
    byline.refresh_from_db()
    assert byline.status == Byline.LINKED
