"""API: press kits and their parts, with the pages' roles and organisation rules."""

from __future__ import annotations

import json
from datetime import timedelta

from django.test import Client
from django.utils.timezone import now

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.releases import kits
from pressdesk.releases.models import KitItemKind, PressKit
from pressdesk.releases.tests import kits_sample as s

BASE = "/api/v1/releases/kits"


def post(client: Client, url: str, body: dict[str, object], user: User) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


def test_it_lists_and_gets(client: Client, vera: User, org: Organisation) -> None:
    kit = s.kit(org, title="Usine de Tours")
    kits.add_item(kit, KitItemKind.QUOTE, title="Le mot", text="« Un pari »")
    auth = bearer(vera)
    r = client.get(BASE, **auth)
    assert r["Cache-Control"] == "no-store"
    assert [k["title"] for k in r.json()] == ["Usine de Tours"]
    assert client.get(f"{BASE}/{kit.pk}", **auth).json()["public"] is False
    items = client.get(f"{BASE}/{kit.pk}/items", **auth).json()
    assert [(i["kind"], i["title"]) for i in items] == [("quote", "Le mot")]


def test_it_creates_a_kit_and_adds_parts(client: Client, bob: User, org: Organisation) -> None:
    r = post(client, BASE, {"title": "Salon", "language": "en"}, bob)
    assert r.status_code == 201  # type: ignore[attr-defined]
    kit = PressKit.objects.get(org=org)
    release = s.release(org)
    r = post(client, f"{BASE}/{kit.pk}/items", {"kind": "release", "release_id": release.pk}, bob)
    assert r.status_code == 201  # type: ignore[attr-defined]
    assert r.json()["release_id"] == release.pk  # type: ignore[attr-defined]
    r = post(client, f"{BASE}/{kit.pk}/items", {"kind": "quote"}, bob)
    assert r.status_code == 422  # type: ignore[attr-defined]


def test_it_refuses_a_viewer_and_a_press_officer_publishing(
    client: Client, vera: User, bob: User, org: Organisation
) -> None:
    assert post(client, BASE, {"title": "X"}, vera).status_code == 403  # type: ignore[attr-defined]
    kit = s.kit(org)
    body = {"embargo_until": (now() + timedelta(days=1)).isoformat()}
    r = post(client, f"{BASE}/{kit.pk}/publish", body, bob)
    assert r.status_code == 403  # type: ignore[attr-defined]
    kit.refresh_from_db()
    assert not kit.published


def test_a_director_publishes_under_embargo(client: Client, alice: User, org: Organisation) -> None:
    kit = s.kit(org)
    lift = now() + timedelta(days=1)
    r = post(client, f"{BASE}/{kit.pk}/publish", {"embargo_until": lift.isoformat()}, alice)
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert r.json()["public"] is False  # type: ignore[attr-defined]


def test_it_checks_the_organisation(
    client: Client, charlie: User, bob: User, org: Organisation, other_org: Organisation
) -> None:
    kit = s.kit(org)
    assert client.get(f"{BASE}/{kit.pk}", **bearer(charlie)).status_code == 404
    theirs = s.release(other_org)
    r = post(client, f"{BASE}/{kit.pk}/items", {"kind": "release", "release_id": theirs.pk}, bob)
    assert r.status_code == 404  # type: ignore[attr-defined]
    assert not kit.items.exists()
