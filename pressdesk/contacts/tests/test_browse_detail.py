from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import editing, services
from pressdesk.contacts.models import Contact, ContactList, ContactPhone
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    ouest = sample.outlet(org, "Ouest-France")
    marie = sample.contact(
        org,
        emails=["marie.dupont@example.fr", "m.dupont@example.fr"],
        at=ouest,
        title="Cheffe d'agence",
        beats=["Énergie"],
        tags=["VIP"],
        social={"mastodon": "@marie@example.social"},
        source_kind="import",
        source_label="fichier-presse-2025.csv",
    )
    ContactPhone.objects.create(contact=marie, raw="06 12 34 56 78", e164="+33612345678")
    services.record_changes(marie, {"job_title": ("", "Cheffe d'agence")}, source_kind="import")
    services.add_interaction(marie, "call", "Appel sur le projet éolien")
    editing.add_note(marie, "Préfère les appels le matin", by=None)
    return marie


def url(contact: Contact) -> str:
    return f"/o/acme/contacts/{contact.pk}/"


def test_it_works(as_alice: Client, marie: Contact) -> None:
    r = as_alice.get(url(marie))
    assert r.status_code == 200
    body = r.content.decode()
    assert 'href="mailto:marie.dupont@example.fr"' in body
    assert 'href="tel:+33612345678"' in body
    assert "06 12 34 56 78" in body
    assert "Ouest-France" in body
    assert "fichier-presse-2025.csv" in body
    assert "Appel sur le projet éolien" in body
    assert "Préfère les appels le matin" in body
    assert "@marie@example.social" in body
    assert "<strong>Job title</strong>" in body  # the provenance history, in words
    assert "Edit" in body


def test_it_marks_an_opted_out_address_and_does_not_link_it(
    as_alice: Client, marie: Contact
) -> None:
    services.opt_out(marie.org, "M.Dupont@example.fr", "objection")
    body = as_alice.get(url(marie)).content.decode()
    assert "on the opt-out list" in body
    assert 'href="mailto:m.dupont@example.fr"' not in body
    assert 'href="mailto:marie.dupont@example.fr"' in body


def test_it_shows_lists(as_alice: Client, marie: Contact) -> None:
    energy = ContactList.objects.create(org=marie.org, name="Énergie Grand Ouest")
    energy.memberships.create(contact=marie)
    body = as_alice.get(url(marie)).content.decode()
    assert "Énergie Grand Ouest" in body


def test_it_hides_edit_controls_from_a_viewer(as_vera: Client, marie: Contact) -> None:
    r = as_vera.get(url(marie))
    assert r.status_code == 200
    body = r.content.decode()
    assert "/edit/" not in body
    assert "/delete/" not in body
    assert "/notes/" not in body


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.get(url(marie)).status_code == 404


def test_it_hides_another_organisations_contact(as_alice: Client, other_org: Organisation) -> None:
    theirs = sample.contact(other_org, "Zoé", "Autre")
    assert as_alice.get(url(theirs)).status_code == 404


def test_it_rejects_post(as_alice: Client, marie: Contact) -> None:
    assert as_alice.post(url(marie)).status_code == 405


@pytest.mark.django_db
def test_it_shows_choices_in_the_history_as_words(as_alice: Client, org: Organisation) -> None:
    contact = Contact.objects.create(org=org, first_name="Léa", last_name="Roux")
    services.record_changes(contact, {"lawful_basis": ("consent", "legitimate_interest")})
    body = as_alice.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "<strong>Lawful basis</strong>" in body
    assert "<del>Consent</del> → Legitimate interest" in body
    assert "legitimate_interest" not in body


@pytest.mark.django_db
def test_it_does_not_repeat_a_job_title_equal_to_the_kind(
    as_alice: Client, org: Organisation
) -> None:
    contact = Contact.objects.create(
        org=org, first_name="Léa", last_name="Roux", kind="journalist", job_title="Journalist"
    )
    body = as_alice.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Journalist · Journalist" not in body
    assert "Journalist" in body
    contact.job_title = ""
    contact.save()
    body = as_alice.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Journalist · <" not in body
    contact.job_title = "Cheffe d’agence"
    contact.save()
    body = as_alice.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Journalist · Cheffe d’agence" in body


def test_it_names_languages_countries_and_phone_kinds_in_words(
    as_alice: Client, alice, org: Organisation
) -> None:
    alice.language = "fr"
    alice.save()
    contact = sample.contact(org, "Emily", "Hartley", languages=["en", "fr"], country="GB")
    ContactPhone.objects.create(contact=contact, raw="06 12", e164="+33612345678", label="mobile")
    services.record_changes(contact, {"phones": ("+33199000002", "+33199000002, +33612345678")})
    services.record_changes(contact, {"country": ("FR", "GB"), "languages": ("", "en, fr")})
    body = as_alice.get(url(contact)).content.decode()
    assert "anglais, français" in body and "Royaume-Uni" in body
    # The kind before the number, as the edit form and the access report write it.
    assert 'Portable\u00a0: <a href="tel:+33612345678">06 12 34 56 78</a>' in body
    # The history writes numbers as the page does, and codes as names.
    assert "01 99 00 00 02" in body and "+33199000002" not in body
    assert "<del>France</del> → Royaume-Uni" in body
    assert ">GB<" not in body and "EN, FR" not in body


def test_it_names_the_kind_of_each_phone_in_its_history(
    as_alice: Client, alice, org: Organisation
) -> None:
    alice.language = "fr"
    alice.save()
    contact = sample.contact(org, "Emily", "Hartley")
    numbers = editing.clean_phones(["Bureau : 01 99 00 00 02"])
    editing.save_contact(org, contact, {"phones": numbers}, by=None)
    numbers = editing.clean_phones(["Bureau : 01 99 00 00 02", "Portable : 06 12 34 56 78"])
    editing.save_contact(org, contact, {"phones": numbers}, by=None)
    body = as_alice.get(url(contact)).content.decode()
    history = body[body.index('id="history-title"') :]
    assert (
        "<del>Bureau\u00a0: 01 99 00 00 02</del> → "
        "Bureau\u00a0: 01 99 00 00 02, Portable\u00a0: 06 12 34 56 78"
    ) in history
    assert "work|" not in history and "mobile" not in history and "+33" not in history
