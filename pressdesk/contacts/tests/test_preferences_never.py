from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import gdpr, preferences, services
from pressdesk.contacts.models import Contact, FieldChange, OptOut
from pressdesk.contacts.tests.gdpr_support import EMAIL, person


def url(token: str) -> str:
    return f"/p/{token}/never/"


@pytest.fixture
def contact(org: Organisation) -> Contact:
    return person(org, emails=[EMAIL, "marie@perso.example.net"])


@pytest.mark.django_db
def test_it_opts_out_every_address(client: Client, org: Organisation, contact: Contact) -> None:
    token = preferences.token_for(contact)
    r = client.post(url(token), {"lang": "en"})
    assert r.status_code == 302
    assert r["Location"] == f"/p/{token}/?lang=en&done=never"
    assert services.is_opted_out(org, EMAIL)
    assert services.is_opted_out(org, "marie@perso.example.net")
    assert {e.reason for e in OptOut.objects.all()} == {"never_contact"}
    assert FieldChange.objects.get(contact=contact, field="opt_out").source_kind == "preferences"
    audit = AuditEntry.objects.get(action="optout.add_by_person")
    assert audit.data == {"contact_id": contact.pk, "reason": "never_contact", "addresses": 2}
    page = client.get(r["Location"]).content.decode()
    assert "will not contact you any more" in page
    assert "I want to hear from you again" in page


@pytest.mark.django_db
def test_it_is_honoured_everywhere(client: Client, org: Organisation, contact: Contact) -> None:
    client.post(url(preferences.token_for(contact)))
    assert gdpr.mailable_address(contact) is None
    # Added again by hand, or by an import: still suppressed.
    again = person(org, "Marie", "Dupont", emails=[EMAIL.upper()])
    assert gdpr.mailable_address(again) is None


@pytest.mark.django_db
def test_a_second_click_records_nothing_more(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    client.post(url(token))
    client.post(url(token))
    assert AuditEntry.objects.filter(action="optout.add_by_person").count() == 1
    assert OptOut.objects.count() == 2


@pytest.mark.django_db
def test_it_needs_the_csrf_token(contact: Contact) -> None:
    r = Client(enforce_csrf_checks=True).post(url(preferences.token_for(contact)))
    assert r.status_code == 403
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_it_rejects_get(client: Client, contact: Contact) -> None:
    assert client.get(url(preferences.token_for(contact))).status_code == 405
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_a_tampered_link_does_nothing(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact) + "x"
    assert client.post(url(token)).status_code == 404
    assert not OptOut.objects.exists()
