"""The bylines API: linking to any journalist of the token's organisation, and adding the
journalist of an unknown byline as a new contact; roles and organisations enforced."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import journalist, signed, unknown

pytestmark = pytest.mark.django_db

BASE = "/api/v1/monitoring/bylines"


def post(client: Client, url: str, body: object, user: User) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


def test_it_accepts_any_journalist_of_the_organisation(
    client: Client, bob: User, org: Organisation
) -> None:
    seen = unknown(org)
    claire = journalist(org)
    assert client.get(BASE, **bearer(bob)).json()[0]["candidates"] == []
    r = post(client, f"{BASE}/{seen.byline.pk}/accept", {"contact": claire.pk}, bob)
    assert r.status_code == 200 and r.json() == {"articles": 1}  # type: ignore[attr-defined]
    seen.item.refresh_from_db()
    assert seen.item.author_contact == claire


def test_another_organisations_contact_id_is_404(
    client: Client, bob: User, org: Organisation, other_org: Organisation
) -> None:
    seen = unknown(org)
    theirs = journalist(other_org)
    r = post(client, f"{BASE}/{seen.byline.pk}/accept", {"contact": theirs.pk}, bob)
    assert r.status_code == 404  # type: ignore[attr-defined]
    seen.byline.refresh_from_db()
    assert seen.byline.status == Byline.PENDING


def test_it_adds_the_journalist_as_a_contact(client: Client, bob: User, org: Organisation) -> None:
    seen = unknown(org)
    r = post(client, f"{BASE}/{seen.byline.pk}/contact", {}, bob)
    assert r.status_code == 201  # type: ignore[attr-defined]
    data = r.json()  # type: ignore[attr-defined]
    contact = Contact.objects.for_org(org).get(pk=data["contact"])
    assert data["articles"] == 1
    assert (contact.first_name, contact.last_name) == ("Jean", "de La Fontaine")
    assert contact.source_kind == SourceKind.MONITORING
    assert [p.outlet for p in contact.positions.all()] == [seen.outlet]
    assert AuditEntry.objects.get(action="monitoring.byline_new_contact").actor == bob
    # Decided now: a second call adds nobody.
    again = post(client, f"{BASE}/{seen.byline.pk}/contact", {}, bob)
    assert again.status_code == 409  # type: ignore[attr-defined]
    assert Contact.objects.for_org(org).count() == 1


def test_the_name_can_be_given(client: Client, bob: User, org: Organisation) -> None:
    seen = unknown(org)
    body = {"first_name": "Jean-Marie", "last_name": "La Fontaine"}
    assert post(client, f"{BASE}/{seen.byline.pk}/contact", body, bob).status_code == 201  # type: ignore[attr-defined]
    assert Contact.objects.for_org(org).get().first_name == "Jean-Marie"
    signed(org, "Acme hires", "Paul Durand", outlet=seen.outlet, source=seen.source)
    other = Byline.objects.for_org(org).get(name="Paul Durand")
    r = post(client, f"{BASE}/{other.pk}/contact", {"first_name": "", "last_name": ""}, bob)
    assert r.status_code == 400  # type: ignore[attr-defined]


def test_roles_and_organisations(
    client: Client, vera: User, charlie: User, org: Organisation
) -> None:
    seen = unknown(org)
    assert post(client, f"{BASE}/{seen.byline.pk}/contact", {}, vera).status_code == 403  # type: ignore[attr-defined]
    assert post(client, f"{BASE}/{seen.byline.pk}/contact", {}, charlie).status_code == 404  # type: ignore[attr-defined]
    assert client.post(f"{BASE}/{seen.byline.pk}/contact").status_code == 401
    assert client.get(f"{BASE}/{seen.byline.pk}/contact", **bearer(vera)).status_code == 405
    assert not Contact.objects.exists()
