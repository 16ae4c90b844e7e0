"""Finding duplicates and merging them: everything moves, provenance stays, pages are guarded."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import duplicates, services
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactList,
    ContactPhone,
    FieldChange,
    Interaction,
    ListMembership,
    MergeSuggestion,
    Note,
    Outlet,
    Position,
)

URL = "/o/acme/contacts/duplicates/"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(
    org: Organisation,
    first: str,
    last: str,
    email: str = "",
    outlet: Outlet | None = None,
    **kw: object,
) -> Contact:
    contact = Contact.objects.create(org=org, first_name=first, last_name=last, **kw)  # type: ignore[arg-type]
    if email:
        ContactEmail.objects.create(
            contact=contact, org=org, email=email, email_normalised=email.lower(), is_primary=True
        )
    if outlet:
        Position.objects.create(contact=contact, outlet=outlet, title="Journaliste")
    return contact


@pytest.fixture
def equipe(org: Organisation) -> Outlet:
    return Outlet.objects.create(org=org, name="L’Équipe", name_normalised="equipe")


@pytest.mark.django_db
def test_it_finds_duplicates_by_email_and_by_name_at_an_outlet(
    org: Organisation, equipe: Outlet
) -> None:
    a = person(org, "Hélène", "Lefèvre", "helene@example.org", equipe)
    b = person(org, "Helene", "Lefevre", "h.lefevre@gmail.example", equipe)
    c = person(org, "Marie", "Dupont", "Marie@Example.org")
    d = person(org, "M.", "Dupont", "marie@example.org")
    person(org, "Paul", "Martin", "paul@example.org", equipe)
    assert duplicates.find_duplicates(org) == 2
    pairs = {(s.contact_a_id, s.contact_b_id): s for s in MergeSuggestion.objects.all()}
    assert set(pairs) == {(a.pk, b.pk), (c.pk, d.pk)}
    assert pairs[(c.pk, d.pk)].score == 100 and "marie@example.org" in pairs[(c.pk, d.pk)].reason
    assert "L’Équipe" in pairs[(a.pk, b.pk)].reason
    # Scanning again adds nothing, and dismissed pairs are not suggested again.
    duplicates.dismiss(pairs[(a.pk, b.pk)])
    assert duplicates.find_duplicates(org) == 0
    assert MergeSuggestion.objects.get(contact_a=a).status == MergeSuggestion.DISMISSED


@pytest.mark.django_db
def test_a_shared_newsroom_address_is_not_a_duplicate(org: Organisation) -> None:
    for n in range(12):
        person(org, f"P{n}", f"N{n}", "redaction@journal.example")
    assert duplicates.find_duplicates(org) == 0


@pytest.mark.django_db
def test_merge_keeps_the_older_contact_and_moves_everything(
    org: Organisation, equipe: Outlet, alice: User
) -> None:
    older = person(
        org, "Hélène", "Lefèvre", "helene@example.org", equipe, source_label="Annuaire 2023"
    )
    older.created = timezone.now() - timedelta(days=400)
    older.save()
    newer = person(
        org,
        "Helene",
        "Lefevre",
        "h.lefevre@gmail.example",
        source_kind="import",
        source_label="cision.csv",
        region="Paris",
        languages=["en"],
        social={"x": "@hl"},
    )
    ContactEmail.objects.create(
        contact=newer, org=org, email="HELENE@example.org", email_normalised="helene@example.org"
    )
    monde = Outlet.objects.create(org=org, name="Le Monde", name_normalised="le monde")
    Position.objects.create(contact=newer, outlet=monde, title="Pigiste")
    Position.objects.create(contact=newer, outlet=equipe, title="Journaliste")
    ContactPhone.objects.create(
        contact=newer, raw="06 12 34 56 78", e164="+33612345678", label="mobile"
    )
    newer.beats.add(services.beat(org, "Cyclisme"))
    newer.tags.add(services.tag(org, "VIP"))
    sport = ContactList.objects.create(org=org, name="Sport")
    ListMembership.objects.create(contact_list=sport, contact=newer)
    Note.objects.create(contact=newer, text="Préfère le matin")
    services.add_interaction(newer, "call", "Appel")
    services.record_changes(
        newer, {"region": ("", "Paris")}, source_kind="import", source_label="cision.csv"
    )
    third = person(org, "Hélène", "Lefèvre", "hl@autre.example")
    MergeSuggestion.objects.create(org=org, contact_a=newer, contact_b=third, score=95, reason="x")
    suggestion = MergeSuggestion.objects.create(
        org=org, contact_a=older, contact_b=newer, score=100, reason="y"
    )

    kept = duplicates.merge(org, suggestion.contact_b_id, suggestion.contact_a_id, by=alice)

    assert kept == older and not Contact.objects.filter(pk=newer.pk).exists()
    assert sorted(e.email for e in kept.emails.all()) == [
        "h.lefevre@gmail.example",
        "helene@example.org",
    ]
    assert kept.emails.get(email="helene@example.org").is_primary
    assert sorted((p.outlet.name, p.title) for p in kept.positions.all()) == [
        ("Le Monde", "Pigiste"),
        ("L’Équipe", "Journaliste"),
    ]
    assert kept.phones.get().e164 == "+33612345678"
    assert [b.name for b in kept.beats.all()] == ["Cyclisme"] and [
        t.name for t in kept.tags.all()
    ] == ["VIP"]
    assert list(sport.contacts.all()) == [kept]
    assert kept.notes.get().text == "Préfère le matin"
    assert Interaction.objects.get().contact == kept and kept.last_active_at is not None
    assert (kept.region, kept.languages, kept.social) == ("Paris", ["en"], {"x": "@hl"})
    # Provenance: the kept contact's own stays, the merged one's is recorded.
    assert kept.source_label == "Annuaire 2023"
    merged_from = FieldChange.objects.get(contact=kept, field="merged_from")
    assert merged_from.source_kind == "merge" and "cision.csv" in merged_from.new_value
    # As data, rendered in the reader's language: never the deleted record's id.
    assert json.loads(merged_from.new_value) == {
        "name": "Helene Lefevre",
        "source_kind": "import",
        "source": "cision.csv",
        "lawful_basis": "legitimate_interest",
        "created": timezone.localtime(newer.created).date().isoformat(),
    }
    assert not merged_from.source_label
    assert merged_from.changed_by == alice
    assert FieldChange.objects.filter(
        contact=kept, field="region", source_label="cision.csv"
    ).exists()
    assert FieldChange.objects.filter(contact=kept, field="region", source_kind="merge").exists()
    # The suggestion about the deleted contact now concerns the kept one.
    assert MergeSuggestion.objects.filter(contact_a=older, contact_b=third).exists()
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.object_id == str(older.pk) and entry.data["merged_id"] == newer.pk
    assert "helene" in Contact.objects.get(pk=older.pk).search_text


@pytest.mark.django_db
def test_a_merge_of_records_changed_since_they_were_seen_is_refused(org: Organisation) -> None:
    a, b = person(org, "A", "A"), person(org, "A", "B")
    seen = duplicates.version(a, b)
    b.last_name = "C"
    b.save()
    with pytest.raises(duplicates.MergeError):
        duplicates.merge(org, a.pk, b.pk, choices=duplicates.MergeChoices(seen=seen))
    assert Contact.objects.count() == 2
    kept = duplicates.merge(
        org, a.pk, b.pk, choices=duplicates.MergeChoices(seen=duplicates.version(a, b))
    )
    assert kept == a and Contact.objects.count() == 1


@pytest.mark.django_db
def test_other_modules_hear_about_a_merge(org: Organisation) -> None:
    a, b = person(org, "A", "A"), person(org, "B", "B")
    heard = []

    def listener(sender: object, keep: Contact, other: Contact, **kwargs: object) -> None:
        heard.append((keep.pk, other.pk))

    duplicates.contacts_merged.connect(listener)
    try:
        duplicates.merge(org, a.pk, b.pk)
    finally:
        duplicates.contacts_merged.disconnect(listener)
    assert heard == [(a.pk, b.pk)]


@pytest.mark.django_db
def test_contacts_of_another_organisation_cannot_be_merged(
    org: Organisation, other_org: Organisation
) -> None:
    a, b = person(org, "A", "A"), person(other_org, "B", "B")
    with pytest.raises(duplicates.MergeError):
        duplicates.merge(org, a.pk, b.pk)
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_the_page_lists_merges_and_dismisses(
    as_bob: Client, org: Organisation, equipe: Outlet
) -> None:
    a = person(org, "Hélène", "Lefèvre", "helene@example.org", equipe)
    b = person(org, "Helene", "Lefevre", "hl@gmail.example", equipe)
    c = person(org, "Hélène", "Lefebvre", "hl@lefebvre.example", equipe)
    r = as_bob.post(URL + "scan/")
    assert r.status_code == 302
    page = as_bob.get(URL).content.decode()
    assert "similar name at L’Équipe" in page and "hl@gmail.example" in page
    assert f"{URL}{MergeSuggestion.objects.get(contact_a=a, contact_b=b).pk}/merge/" in page
    assert "data-confirm" not in page
    a.refresh_from_db()
    b.refresh_from_db()
    first = MergeSuggestion.objects.get(contact_a=a, contact_b=b)
    r = as_bob.post(
        f"{URL}{first.pk}/merge/", {"step": "confirm", "version": duplicates.version(a, b)}
    )
    assert r.status_code == 302 and not Contact.objects.filter(pk=b.pk).exists()
    assert AuditEntry.objects.get(action="contacts.merge").actor.email == "bob@example.org"
    other = MergeSuggestion.objects.get(contact_a=a, contact_b=c)
    as_bob.post(f"{URL}{other.pk}/dismiss/")
    other.refresh_from_db()
    assert other.status == MergeSuggestion.DISMISSED
    assert as_bob.post(f"{URL}{other.pk}/merge/").status_code == 404


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    s = MergeSuggestion.objects.create(
        org=org,
        contact_a=person(org, "A", "A"),
        contact_b=person(org, "B", "B"),
        score=100,
        reason="x",
    )
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(f"{URL}{s.pk}/merge/").status_code == 404
    assert as_charlie.post(f"/o/other/contacts/duplicates/{s.pk}/merge/").status_code == 404
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_requires_the_edit_permission(as_vera: Client, org: Organisation) -> None:
    s = MergeSuggestion.objects.create(
        org=org,
        contact_a=person(org, "A", "A"),
        contact_b=person(org, "B", "B"),
        score=100,
        reason="x",
    )
    assert as_vera.get(URL).status_code == 403
    assert as_vera.post(f"{URL}{s.pk}/merge/").status_code == 403
    assert as_vera.post(f"{URL}{s.pk}/dismiss/").status_code == 403
    assert as_vera.post(URL + "scan/").status_code == 403
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_rejects_get_on_actions(as_bob: Client, org: Organisation) -> None:
    s = MergeSuggestion.objects.create(
        org=org,
        contact_a=person(org, "A", "A"),
        contact_b=person(org, "B", "B"),
        score=100,
        reason="x",
    )
    assert as_bob.put(f"{URL}{s.pk}/merge/").status_code == 405
    assert as_bob.get(f"{URL}{s.pk}/dismiss/").status_code == 405
    assert as_bob.get(URL + "scan/").status_code == 405
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_why_reads_in_the_readers_language_whoever_scanned(
    org: Organisation, alice: User, as_alice: Client, equipe: Outlet
) -> None:
    person(org, "Hélène", "Lefèvre", "helene@example.org", equipe)
    person(org, "Helene", "Lefevre", "", equipe)
    person(org, "Marie", "Dupont", "marie@example.org")
    person(org, "M.", "Dupont", "marie@example.org")
    # Scanned in English (a worker, the command line), read in French.
    assert duplicates.find_duplicates(org) == 2
    assert {s.reason for s in MergeSuggestion.objects.all()} == {
        "email:marie@example.org",
        "name:L’Équipe",
    }
    alice.language = "fr"
    alice.save()
    page = as_alice.get(URL).content.decode()
    assert "même adresse e-mail marie@example.org" in page
    assert "nom proche chez L’Équipe" in page
    assert "same email" not in page and "similar name" not in page and "email:" not in page
    # A suggestion written in words before reasons were codes still shows as it was.
    MergeSuggestion.objects.filter(reason__startswith="name:").update(reason="nom proche (ancien)")
    assert "nom proche (ancien)" in as_alice.get(URL).content.decode()
