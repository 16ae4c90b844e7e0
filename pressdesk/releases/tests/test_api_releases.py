from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.releases.models import Release
from pressdesk.releases.tests import sample

API = "/api/v1/releases/"


def test_it_creates_updates_and_lists(client: Client, org: Organisation, bob: User) -> None:
    headers = bearer(bob)
    r = client.post(
        API,
        {"title": "Bilan : bon", "template": "fr-FR", "body": "Il est 9h30 !", "topics": ["Bilan"]},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["title"] == "Bilan\u00a0: bon" and created["state"] == "draft"
    assert "9\u00a0h\u00a030\u202f!" in created["version"]["body_html"]
    assert created["public_url"].endswith("/newsroom/acme/bilan-bon/")
    r = client.put(
        f"{API}{created['id']}",
        {"title": "Bilan annuel", "body": "Texte."},
        content_type="application/json",
        **headers,
    )
    assert r.json()["version"]["number"] == 2
    listing = client.get(API, {"state": "draft"}, **headers).json()
    assert listing["count"] == 1 and listing["items"][0]["title"] == "Bilan annuel"
    assert len(client.get(f"{API}{created['id']}/versions", **headers).json()) == 2


def test_the_flow_through_the_api(
    client: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.release(org, bob)
    officer, director = bearer(bob), bearer(alice)
    assert client.post(f"{API}{release.pk}/submit", **officer).json()["state"] == "in_review"
    decided = client.post(
        f"{API}{release.pk}/decide",
        {"version_id": release.current_version_id, "decision": "approved"},
        content_type="application/json",
        **director,
    )
    assert decided.json()["state"] == "approved"
    scheduled = client.post(
        f"{API}{release.pk}/schedule",
        {"embargo_until": "2030-01-15T10:00"},
        content_type="application/json",
        **director,
    ).json()
    assert scheduled["state"] == "scheduled"
    assert scheduled["embargo_until"].startswith("2030-01-15T09:00")  # CET, as the org enters it
    withdrawn = client.post(
        f"{API}{release.pk}/withdraw", {"reason": "x"}, content_type="application/json", **director
    )
    assert withdrawn.json()["state"] == "withdrawn"


@pytest.mark.parametrize("who", ["bob", "sam", "vera"])
def test_only_a_director_approves_publishes_or_schedules(
    client: Client,
    org: Organisation,
    alice: User,
    bob: User,
    who: str,
    request: pytest.FixtureRequest,
) -> None:
    headers = bearer(request.getfixturevalue(who))
    waiting = sample.release(org, bob, title="En revue")
    from pressdesk.releases import approval

    approval.submit(waiting, member=sample.member(org, bob))
    r = client.post(
        f"{API}{waiting.pk}/decide",
        {"version_id": waiting.current_version_id, "decision": "approved"},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 403
    approved = sample.approved(org, bob, alice)
    assert client.post(f"{API}{approved.pk}/publish", **headers).status_code == 403
    r = client.post(
        f"{API}{approved.pk}/schedule",
        {"embargo_until": datetime(2030, 1, 1, tzinfo=UTC).isoformat()},
        content_type="application/json",
        **headers,
    )
    assert r.status_code == 403
    r = client.post(f"{API}{approved.pk}/withdraw", {}, content_type="application/json", **headers)
    assert r.status_code == 403
    waiting.refresh_from_db()
    approved.refresh_from_db()
    assert waiting.state == "in_review" and approved.state == "approved"


def test_a_viewer_cannot_write(client: Client, org: Organisation, vera: User) -> None:
    r = client.post(API, {"title": "X"}, content_type="application/json", **bearer(vera))
    assert r.status_code == 403


def test_another_organisations_release_is_404(
    client: Client, org: Organisation, bob: User, charlie: User
) -> None:
    release = sample.release(org, bob)
    headers = bearer(charlie)
    assert client.get(f"{API}{release.pk}", **headers).status_code == 404
    assert client.post(f"{API}{release.pk}/submit", **headers).status_code == 404
    assert client.get(API, **headers).json()["count"] == 0
    assert Release.objects.for_org(org).get().state == "draft"


def test_it_needs_a_token(client: Client) -> None:
    assert client.get(API).status_code == 401
