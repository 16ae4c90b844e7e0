from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, FieldChange, Outlet
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/new/"

FORM = {
    "first_name": "Hélène",
    "last_name": "Lefèvre",
    "job_title": "Journaliste économie",
    "outlet": "La Nouvelle République",
    "kind": "journalist",
    "emails": "h.lefevre@example.fr\nhelene@example.org",
    "phones": "Mobile: 06 12 34 56 78\n02 47 00 00 00",
    "beats": "Économie régionale, énergie",
    "tags": "Presse locale",
    "languages": ["fr", "en"],
    "country": "fr",
    "region": "Centre-Val de Loire",
    "social": "bluesky: helene.example.social",
    "preferred_channel": "email",
    "lawful_basis": "legitimate_interest",
    "source_label": "Carte de visite, salon Energaia",
}


def test_it_shows_the_form(as_bob: Client, org: Organisation) -> None:
    r = as_bob.get(URL)
    assert r.status_code == 200
    assert 'name="emails"' in r.content.decode()


def test_it_creates_a_contact(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, FORM)
    contact = Contact.objects.get(org=org)
    assert r.status_code == 302
    assert r["Location"] == f"/o/acme/contacts/{contact.pk}/"
    assert [e.email for e in contact.emails.all()] == ["h.lefevre@example.fr", "helene@example.org"]
    assert contact.emails.get(is_primary=True).email == "h.lefevre@example.fr"
    phones = {p.e164: p.label for p in contact.phones.all()}
    assert phones == {"+33612345678": "mobile", "+33247000000": ""}
    assert {b.name for b in contact.beats.all()} == {"énergie", "Économie régionale"}
    assert contact.languages == ["fr", "en"]
    assert contact.country == "FR"
    assert contact.social == {"bluesky": "helene.example.social"}
    assert contact.source_kind == "manual"
    assert contact.source_label == "Carte de visite, salon Energaia"
    assert contact.positions.get(end_date=None).outlet.name == "La Nouvelle République"
    assert contact.sort_name == "lefevre helene"
    assert "nouvelle republique" in contact.search_text
    change = FieldChange.objects.get(contact=contact, field="emails")
    assert change.source_kind == "manual"
    assert change.changed_by is not None


def test_it_reuses_an_outlet_whatever_the_accents(as_bob: Client, org: Organisation) -> None:
    sample.outlet(org, "La Nouvelle République")
    as_bob.post(URL, {**FORM, "outlet": "la nouvelle republique"})
    assert Outlet.objects.filter(org=org).count() == 1


def test_it_rejects_an_unreadable_phone(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {**FORM, "phones": "call me maybe"})
    assert r.status_code == 200
    assert "Cannot read these phone numbers: call me maybe." in r.content.decode()
    assert not Contact.objects.exists()


def test_it_rejects_a_bad_email(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {**FORM, "emails": "not-an-address"})
    assert "is not an email address" in r.content.decode()
    assert not Contact.objects.exists()


def test_it_needs_a_name_or_an_email(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {"kind": "journalist", "lawful_basis": "consent"})
    assert "Give at least a name or an email address." in r.content.decode()


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.get(URL).status_code == 403
    assert as_vera.post(URL, FORM).status_code == 403
    assert not Contact.objects.exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(URL, FORM).status_code == 404


def test_it_rejects_put(as_bob: Client, org: Organisation) -> None:
    assert as_bob.put(URL).status_code == 405
