"""pressdesk/contacts/services.py: what the UI, the API, imports and other modules share."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import editing, phones, services
from pressdesk.contacts.models import ContactEmail, FieldChange, Position
from pressdesk.contacts.tests import sample


def test_it_normalises_phones() -> None:
    assert services.normalise_phone("06 12 34 56 78") == "+33612345678"
    assert services.normalise_phone("+44 20 7946 0000") == "+442079460000"
    assert services.normalise_phone("020 7946 0000", "GB") == "+442079460000"
    assert services.normalise_phone("not a number") == ""


def test_it_displays_phones() -> None:
    assert services.display_phone("+33612345678") == "06 12 34 56 78"
    assert services.display_phone("+442079460000") == "+44 20 7946 0000"


def test_it_records_only_real_changes(org: Organisation) -> None:
    marie = sample.contact(org)
    services.record_changes(
        marie, {"last_name": ("Dupont", "Durand"), "first_name": ("Marie", "Marie")}
    )
    assert list(FieldChange.objects.filter(contact=marie).values_list("field", flat=True)) == [
        "last_name"
    ]


def test_it_keeps_sort_keys_and_search_text(org: Organisation) -> None:
    monde = sample.outlet(org, "Le Monde")
    echos = sample.outlet(org, "Les Échos")
    emilie = sample.contact(org, "Émilie", "Éluard", emails=["e.eluard@example.fr"], at=monde)
    assert emilie.sort_name == "eluard emilie"
    assert emilie.sort_outlet == "le monde"
    assert "e eluard example fr" in emilie.search_text
    # The latest current position gives the sort key.
    Position.objects.create(
        contact=emilie, outlet=echos, start_date=timezone.localdate() + timedelta(days=1)
    )
    services.refresh_search([emilie])
    emilie.refresh_from_db()
    assert emilie.sort_outlet == "les echos"


def test_it_fills_missing_address_hashes(org: Organisation) -> None:
    marie = sample.contact(org, emails=["marie@example.fr"])
    ContactEmail.objects.filter(contact=marie).update(address_hash="")
    assert services.fill_address_hashes(ContactEmail.objects.filter(org=org)) == 1
    services.opt_out(org, "MARIE@example.fr", "objection")
    email = ContactEmail.objects.get(contact=marie)
    assert services.is_opted_out(org, email.email)
    assert email.address_hash == services.opted_out_hashes(org).pop()


def test_opening_a_mail_does_not_renew_retention(org: Organisation) -> None:
    marie = sample.contact(org)
    services.add_interaction(marie, "email_open")
    marie.refresh_from_db()
    assert marie.last_active_at is None
    services.add_interaction(marie, "email_reply")
    marie.refresh_from_db()
    assert marie.last_active_at is not None


def test_it_edits_with_provenance_from_the_api(org: Organisation) -> None:
    marie = sample.contact(org)
    editing.save_contact(
        org, marie, {"emails": ["new@example.fr"]}, by=None, source_kind="api", source_label="CRM"
    )
    change = FieldChange.objects.get(contact=marie, field="emails")
    assert (change.old_value, change.new_value) == ("", "new@example.fr")
    assert (change.source_kind, change.source_label) == ("api", "CRM")


def test_it_moves_a_contact_to_a_new_outlet(org: Organisation) -> None:
    marie = sample.contact(org, at=sample.outlet(org, "Ouest-France"))
    editing.save_contact(org, marie, {"outlet": "Le Télégramme", "job_title": "Reporter"}, by=None)
    assert [p.outlet.name for p in marie.positions.filter(end_date=None)] == ["Le Télégramme"]
    assert marie.positions.exclude(end_date=None).get().outlet.name == "Ouest-France"
    editing.save_contact(org, marie, {"outlet": None}, by=None)
    assert not marie.positions.filter(end_date=None).exists()


def test_phone_kinds_typed_in_either_language_are_one_kind() -> None:
    assert phones.label_key("Portable") == phones.label_key("Mobile ") == "mobile"
    assert phones.label_key("Bureau") == "work" and phones.label_key("Rédaction") == "Rédaction"
    with translation.override("fr"):
        assert phones.line("mobile", "+33612345678", "") == "Portable\u00a0: 06 12 34 56 78"
        assert phones.line("", "", "poste 12") == "poste 12"
        assert phones.line("Mobile", "+33612345678", "") == "Portable\u00a0: 06 12 34 56 78"
    assert phones.display_list("+33199000002, 0800") == "01 99 00 00 02, 0800"
