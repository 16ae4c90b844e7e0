from __future__ import annotations

import re

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, ContactPhone, FieldChange
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(
        org, emails=["marie@example.fr"], at=sample.outlet(org, "Ouest-France"), title="Reporter"
    )


def url(contact: Contact) -> str:
    return f"/o/acme/contacts/{contact.pk}/edit/"


def form(**changes: str) -> dict[str, str]:
    data = {
        "first_name": "Marie",
        "last_name": "Dupont",
        "job_title": "Reporter",
        "outlet": "Ouest-France",
        "kind": "journalist",
        "emails": "marie@example.fr",
        "lawful_basis": "legitimate_interest",
    }
    return {**data, **changes}


def test_it_shows_the_current_values(as_bob: Client, marie: Contact) -> None:
    r = as_bob.get(url(marie))
    assert r.status_code == 200
    body = r.content.decode()
    assert "marie@example.fr" in body
    assert 'value="Ouest-France"' in body


def test_it_saves_and_keeps_provenance(as_bob: Client, marie: Contact) -> None:
    r = as_bob.post(url(marie), form(last_name="Durand", verified="on"))
    assert r.status_code == 302
    marie.refresh_from_db()
    assert marie.last_name == "Durand"
    assert marie.last_verified_at is not None
    change = FieldChange.objects.get(contact=marie, field="last_name")
    assert (change.old_value, change.new_value, change.source_kind) == (
        "Dupont",
        "Durand",
        "manual",
    )
    assert not FieldChange.objects.filter(contact=marie, field="first_name").exists()
    assert "durand" in marie.search_text


def test_it_keeps_the_old_position_as_history(as_bob: Client, marie: Contact) -> None:
    as_bob.post(url(marie), form(outlet="Le Monde", job_title="Grand reporter"))
    current = marie.positions.get(end_date=None)
    past = marie.positions.exclude(end_date=None).get()
    assert (current.outlet.name, current.title) == ("Le Monde", "Grand reporter")
    assert past.outlet.name == "Ouest-France"
    marie.refresh_from_db()
    assert marie.sort_outlet == "le monde"


def test_it_changes_emails(as_bob: Client, marie: Contact) -> None:
    as_bob.post(url(marie), form(emails="new@example.fr\nmarie@example.fr"))
    assert [(e.email, e.is_primary) for e in marie.emails.all()] == [
        ("new@example.fr", True),
        ("marie@example.fr", False),
    ]
    assert all(e.address_hash for e in marie.emails.all())


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    assert as_vera.get(url(marie)).status_code == 403
    assert as_vera.post(url(marie), form(last_name="X")).status_code == 403
    marie.refresh_from_db()
    assert marie.last_name == "Dupont"


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(url(marie), form()).status_code == 404


def test_it_rejects_delete(as_bob: Client, marie: Contact) -> None:
    assert as_bob.delete(url(marie)).status_code == 405


def test_it_prefills_phones_as_its_help_text_writes_them(
    as_bob: Client, bob, marie: Contact
) -> None:
    bob.language = "fr"
    bob.save()
    ContactPhone.objects.create(
        contact=marie, raw="0612345678", e164="+33612345678", label="mobile"
    )
    ContactPhone.objects.create(contact=marie, raw="+44 20 7946 0000", e164="+442079460000")
    r = as_bob.get(url(marie))
    phones = r.context["form"].initial["phones"]
    assert phones == "Portable\u00a0: 06 12 34 56 78\n+44 20 7946 0000"
    assert "Portable\u00a0: 06 12 34 56 78" in str(r.context["form"].fields["phones"].help_text)
    # Saved as shown, the numbers and their kinds are unchanged.
    as_bob.post(url(marie), form(phones=phones))
    assert sorted(marie.phones.values_list("label", "e164")) == [
        ("", "+442079460000"),
        ("mobile", "+33612345678"),
    ]


def test_it_picks_languages_and_country_from_lists(as_bob: Client, marie: Contact) -> None:
    body = as_bob.get(url(marie)).content.decode()
    assert 'type="checkbox" name="languages" value="fr"' in body
    assert '<option value="GB">United Kingdom</option>' in body
    r = as_bob.post(url(marie), form(languages=["fr"], other_language="eu", country="GB"))
    assert r.status_code == 302
    marie.refresh_from_db()
    assert (marie.languages, marie.country) == (["fr", "eu"], "GB")
    # A less common language already chosen is offered ticked.
    assert re.search(r'value="eu"[^>]* checked', as_bob.get(url(marie)).content.decode())


def test_it_refuses_codes_that_are_not_languages_or_countries(
    as_bob: Client, marie: Contact
) -> None:
    r = as_bob.post(url(marie), form(languages=["xx"], country="XX"))
    assert r.status_code == 200
    assert set(r.context["form"].errors) == {"languages", "country"}
    marie.refresh_from_db()
    assert marie.country == ""


def test_it_suggests_existing_tags(as_bob: Client, marie: Contact, org: Organisation) -> None:
    sample.contact(org, "Paul", "Martin", tags=["Presse nationale"])
    body = as_bob.get(url(marie)).content.decode()
    assert 'list="tag-names"' in body
    assert '<option value="Presse nationale"></option>' in body
    assert "contacts/tag_picker" in body


def test_it_refuses_unknown_languages_and_odd_network_names(as_bob: Client, marie: Contact) -> None:
    for changes in ({"languages": ["fr", "zz"]}, {"social": "x y: @marie"}):
        r = as_bob.post(url(marie), form(**changes))
        assert r.status_code in (200, 400)
        assert r.context["form"].errors, changes
    marie.refresh_from_db()
    assert marie.languages != ["fr", "zz"]
