"""The mailings API: the same roles, approval and organisation rules as the services."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.tests.conftest import people, static_list
from pressdesk.releases.models import ReleaseState
from pressdesk.releases.tests import newsroom_data

API = "/api/v1/mailings/"
JSON = "application/json"


def test_it_creates_starts_and_reports(client: Client, org: Organisation, bob: User) -> None:
    press = static_list(org, "Presse", people(org, 4))
    headers = bearer(bob)
    r = client.post(
        API,
        {"subject": "Invitation", "body": "Bonjour {{ first_name }}", "list_ids": [press.pk]},
        content_type=JSON,
        **headers,
    )
    assert r.status_code == 201, r.content
    created = r.json()
    assert created["state"] == "draft" and created["recipients"] == 4
    assert created["list_ids"] == [press.pk] and created["kind"] == "free"
    assert r["Cache-Control"] == "no-store"
    started = client.post(f"{API}{created['id']}/start", **headers).json()
    assert (started["state"], started["recipients"], started["queued"]) == ("sending", 4, 4)
    assert set(started["excluded"]) == {"opted_out", "bounced", "no_email", "never", "duplicate"}
    # Twice is a conflict, not a second send.
    assert client.post(f"{API}{created['id']}/start", **headers).status_code == 409
    paused = client.post(f"{API}{created['id']}/pause?reason=Relecture", **headers).json()
    assert paused["state"] == "paused" and paused["state_reason"] == "Relecture"
    assert client.post(f"{API}{created['id']}/resume", **headers).json()["state"] == "sending"
    assert client.post(f"{API}{created['id']}/cancel", **headers).json()["state"] == "cancelled"
    listing = client.get(API, {"state": "cancelled"}, **headers).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == created["id"]
    assert client.get(f"{API}{created['id']}", **headers).json()["id"] == created["id"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"mailing.send", "mailing.pause", "mailing.resume", "mailing.cancel"} <= actions


def test_it_needs_the_role(
    client: Client, org: Organisation, alice: User, sam: User, vera: User
) -> None:
    press = static_list(org, "Presse", people(org, 2))
    body = {"subject": "Pitch", "body": "Bonjour", "list_ids": [press.pk], "kind": "pitch"}
    for member in (sam, vera):
        assert client.post(API, body, content_type=JSON, **bearer(member)).status_code == 403
    created = client.post(API, body, content_type=JSON, **bearer(alice)).json()
    viewer = bearer(vera)
    assert client.get(f"{API}{created['id']}", **viewer).status_code == 200
    for verb in ("start", "pause", "resume", "cancel", "confirm"):
        assert client.post(f"{API}{created['id']}/{verb}", **viewer).status_code == 403
    later = {"at": "2030-01-15T10:00"}
    r = client.post(f"{API}{created['id']}/schedule", later, content_type=JSON, **viewer)
    assert r.status_code == 403
    assert Recipient.objects.count() == 0
    assert Mailing.objects.get().state == "draft"


def test_another_organisations_mailings_are_not_found(
    client: Client, org: Organisation, other_org: Organisation, bob: User, charlie: User
) -> None:
    press = static_list(org, "Presse", people(org, 2))
    ours = client.post(
        API, {"subject": "S", "body": "B", "list_ids": [press.pk]}, content_type=JSON, **bearer(bob)
    ).json()
    theirs = bearer(charlie)
    assert client.get(f"{API}{ours['id']}", **theirs).status_code == 404
    assert client.post(f"{API}{ours['id']}/start", **theirs).status_code == 404
    assert client.get(API, **theirs).json()["count"] == 0
    # Nor can another organisation's list be used.
    r = client.post(
        API, {"subject": "S", "body": "B", "list_ids": [press.pk]}, content_type=JSON, **theirs
    )
    assert r.status_code == 400
    assert Recipient.objects.count() == 0


def test_a_release_mailing_needs_the_release_approved(
    client: Client, org: Organisation, bob: User
) -> None:
    press = static_list(org, "Presse", people(org, 2))
    release = newsroom_data.release(org, state=ReleaseState.IN_REVIEW)
    release.approved_version = None
    release.save(update_fields=["approved_version"])
    headers = bearer(bob)
    created = client.post(
        API, {"release_id": release.pk, "list_ids": [press.pk]}, content_type=JSON, **headers
    ).json()
    assert created["kind"] == "release" and created["subject"] == release.title
    r = client.post(f"{API}{created['id']}/start", **headers)
    assert r.status_code == 409 and release.title in r.json()["detail"]
    scheduled = client.post(
        f"{API}{created['id']}/schedule", {"at": "2030-01-15T10:00"}, content_type=JSON, **headers
    )
    assert scheduled.status_code == 409
    assert Recipient.objects.count() == 0


def test_it_schedules_in_the_organisations_zone(
    client: Client, org: Organisation, bob: User
) -> None:
    press = static_list(org, "Presse", people(org, 1))
    headers = bearer(bob)
    created = client.post(
        API, {"subject": "S", "body": "B", "list_ids": [press.pk]}, content_type=JSON, **headers
    ).json()
    r = client.post(
        f"{API}{created['id']}/schedule", {"at": "2030-01-15T10:00"}, content_type=JSON, **headers
    )
    assert r.json()["state"] == "scheduled"
    assert r.json()["scheduled_for"].startswith("2030-01-15T09:00:00")  # Paris in winter: UTC+1


def test_the_api_is_documented(client: Client, bob: User) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/mailings/")]
    assert "/api/v1/mailings/{mailing_id}/start" in paths
    start = schema["paths"]["/api/v1/mailings/{mailing_id}/start"]["post"]
    assert "approved" in start["description"]
