from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import preferences, services
from pressdesk.contacts.models import Contact, FieldChange, Interaction, OptOut
from pressdesk.contacts.tests.gdpr_support import EMAIL, person


def url(token: str) -> str:
    return f"/p/{token}/again/"


@pytest.fixture
def contact(org: Organisation) -> Contact:
    contact = person(org, emails=[EMAIL, "marie@perso.example.net"])
    services.opt_out(org, EMAIL, "objection", "phone")
    services.opt_out(org, "marie@perso.example.net", "erasure")
    services.opt_out(org, "someone.else@example.org", "objection")
    return contact


@pytest.mark.django_db
def test_the_person_lifts_their_own_optout(
    client: Client, org: Organisation, contact: Contact
) -> None:
    token = preferences.token_for(contact)
    r = client.post(url(token), {"lang": "fr"})
    assert r.status_code == 302
    assert r["Location"] == f"/p/{token}/?lang=fr&done=lifted"
    assert not services.is_opted_out(org, EMAIL)
    assert not services.is_opted_out(org, "marie@perso.example.net")
    # Nobody else's entry moves.
    assert services.is_opted_out(org, "someone.else@example.org")
    change = FieldChange.objects.get(contact=contact, field="opt_out")
    assert (change.old_value, change.new_value, change.source_kind) == (
        "erasure, objection",
        "",
        "preferences",
    )
    assert Interaction.objects.filter(contact=contact, object_type="contacts.preferences").exists()
    audit = AuditEntry.objects.get(action="optout.lift_by_person")
    assert audit.data == {"contact_id": contact.pk, "addresses": 2}
    assert audit.actor is None


@pytest.mark.django_db
def test_it_does_nothing_when_not_opted_out(client: Client, org: Organisation) -> None:
    contact = person(org, "Paul", "Martin", emails=["paul@example.fr"])
    client.post(url(preferences.token_for(contact)))
    assert not AuditEntry.objects.filter(action="optout.lift_by_person").exists()


@pytest.mark.django_db
def test_it_needs_the_csrf_token(contact: Contact) -> None:
    r = Client(enforce_csrf_checks=True).post(url(preferences.token_for(contact)))
    assert r.status_code == 403
    assert OptOut.objects.count() == 3


@pytest.mark.django_db
def test_it_rejects_get(client: Client, contact: Contact) -> None:
    assert client.get(url(preferences.token_for(contact))).status_code == 405
    assert OptOut.objects.count() == 3


@pytest.mark.django_db
def test_a_tampered_link_lifts_nothing(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    assert client.post(url(token[:-2] + "zz")).status_code == 404
    assert OptOut.objects.count() == 3


@pytest.mark.django_db
def test_a_logged_in_director_cannot_lift_it(as_alice: Client, contact: Contact) -> None:
    # Staff have no link of their own for a contact: the pages never show it.
    r = as_alice.get(f"/o/acme/contacts/gdpr/contact/{contact.pk}/")
    assert r.status_code == 200
    assert "/p/" not in r.content.decode()
    assert as_alice.post(url(f"{contact.org_id}.{contact.pk}.")).status_code == 404
    assert OptOut.objects.count() == 3
