"""Positions, beats, tags and lists in a merge: both records' by default, or one record's only,
as the person chooses on the merge page; the preview says what is not kept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import duplicates, services
from pressdesk.contacts.duplicates import MergeChoices
from pressdesk.contacts.models import (
    Contact,
    ContactList,
    FieldChange,
    ListMembership,
    MergeSuggestion,
    Outlet,
    Position,
)

pytestmark = pytest.mark.django_db
URL = "/o/acme/contacts/duplicates/"


def _outlet(org: Organisation, name: str) -> Outlet:
    return Outlet.objects.create(org=org, name=name, name_normalised=name.lower())


@pytest.fixture
def pair(org: Organisation, bob: User) -> tuple[Contact, Contact]:
    """Two records of Léa: each with its own outlet, beat, tag and list, and one shared tag."""
    older = Contact.objects.create(
        org=org, first_name="Léa", last_name="Aubert", created=timezone.now() - timedelta(days=30)
    )
    newer = Contact.objects.create(org=org, first_name="Léa", last_name="Aubert")
    for contact, outlet, beat, tag, name in (
        (older, "Ouest-France", "Agriculture", "VIP", "Salon 2026"),
        (newer, "Le Télégramme", "Énergie", "Presse écrite", "Bretagne"),
    ):
        Position.objects.create(contact=contact, outlet=_outlet(org, outlet), title="Pigiste")
        contact.beats.add(services.beat(org, beat))
        contact.tags.add(services.tag(org, tag), services.tag(org, "Ouest"))
        ListMembership.objects.create(
            contact=contact, contact_list=ContactList.objects.create(org=org, name=name)
        )
    # A past position of the newer record always follows it.
    Position.objects.create(
        contact=newer, outlet=_outlet(org, "Libération"), end_date=date(2020, 1, 1)
    )
    return older, newer


def _names(contact: Contact) -> dict[str, list[str]]:
    return {
        "positions": sorted(p.outlet.name for p in contact.positions.filter(end_date=None)),
        "past": sorted(p.outlet.name for p in contact.positions.exclude(end_date=None)),
        "beats": sorted(b.name for b in contact.beats.all()),
        "tags": sorted(t.name for t in contact.tags.all()),
        "lists": sorted(m.contact_list.name for m in contact.list_memberships.all()),
    }


def test_it_keeps_both_records_by_default(org: Organisation, pair: tuple[Contact, Contact]) -> None:
    older, newer = pair
    assert duplicates.group_conflicts(older, newer) == ["positions", "beats", "tags", "lists"]
    kept = duplicates.merge(org, older.pk, newer.pk)
    assert _names(kept) == {
        "positions": ["Le Télégramme", "Ouest-France"],
        "past": ["Libération"],
        "beats": ["Agriculture", "Énergie"],
        "tags": ["Ouest", "Presse écrite", "VIP"],
        "lists": ["Bretagne", "Salon 2026"],
    }


def test_it_keeps_one_records_items_only(
    org: Organisation, bob: User, pair: tuple[Contact, Contact]
) -> None:
    older, newer = pair
    choices = MergeChoices(
        groups={"positions": newer.pk, "beats": older.pk, "tags": newer.pk, "lists": older.pk}
    )
    kept = duplicates.merge(org, older.pk, newer.pk, choices=choices, by=bob)
    assert kept.pk == older.pk
    assert _names(kept) == {
        "positions": ["Le Télégramme"],
        "past": ["Libération"],
        "beats": ["Agriculture"],
        "tags": ["Ouest", "Presse écrite"],
        "lists": ["Salon 2026"],
    }
    # Nothing of the dropped side is left behind on a list, and the history says what changed.
    assert not ContactList.objects.get(name="Bretagne").memberships.exists()
    changes = {c.field: c for c in FieldChange.objects.filter(contact=kept, source_kind="merge")}
    assert changes["positions"].old_value == "Ouest-France (Pigiste)"
    assert changes["positions"].new_value == "Le Télégramme (Pigiste)"
    assert changes["tags"].new_value == "Ouest, Presse écrite"
    assert "beats" not in changes and "lists" not in changes
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.data["groups"] == {
        "positions": "other",
        "beats": "keep",
        "tags": "other",
        "lists": "keep",
    }


def test_the_page_offers_the_choice_and_previews_it(
    org: Organisation, as_bob: Client, pair: tuple[Contact, Contact]
) -> None:
    older, newer = pair
    suggestion = MergeSuggestion.objects.create(
        org=org, contact_a=older, contact_b=newer, score=90, reason="same name"
    )
    url = f"{URL}{suggestion.pk}/merge/"
    page = as_bob.get(url).content.decode()
    for name in ("positions", "beats", "tags", "lists"):
        assert f'name="{name}" value="0"' in page and "Keep both" in page
        assert f'name="{name}" value="{newer.pk}"' in page
    assert "Le Télégramme (Pigiste)" in page
    data = {
        "version": duplicates.version(older, newer),
        "positions": newer.pk,
        "beats": 0,
        "tags": older.pk,
        "lists": 0,
    }
    preview = as_bob.post(url, {**data, "step": "preview"}).content.decode()
    result, not_kept = preview.split("Not kept:")
    assert "Le Télégramme (Pigiste)" in result and "Agriculture, Énergie" in result
    assert "Ouest-France (Pigiste)" in not_kept and "Presse écrite" in not_kept
    assert f'name="positions" value="{newer.pk}"' in preview  # carried to the confirm button
    as_bob.post(url, {**data, "step": "confirm"})
    kept = Contact.objects.get()
    assert _names(kept)["positions"] == ["Le Télégramme"]
    assert _names(kept)["tags"] == ["Ouest", "VIP"]
    assert _names(kept)["beats"] == ["Agriculture", "Énergie"]


def test_no_choice_is_offered_when_one_record_has_none(org: Organisation, as_bob: Client) -> None:
    older = Contact.objects.create(org=org, first_name="A", created=timezone.now() - timedelta(1))
    newer = Contact.objects.create(org=org, first_name="A")
    newer.beats.add(services.beat(org, "Sport"))
    suggestion = MergeSuggestion.objects.create(
        org=org, contact_a=older, contact_b=newer, score=90, reason="same name"
    )
    page = as_bob.get(f"{URL}{suggestion.pk}/merge/").content.decode()
    assert 'name="beats"' not in page and "Sport" in page


def test_the_filters_find_the_merged_contact_under_the_kept_beats_only(
    org: Organisation, as_bob: Client, pair: tuple[Contact, Contact]
) -> None:
    older, newer = pair
    duplicates.merge(org, older.pk, newer.pk, choices=MergeChoices(groups={"beats": newer.pk}))
    energy, farming = (org.beats.get(name=n).pk for n in ("Énergie", "Agriculture"))
    found = as_bob.get("/o/acme/contacts/", {"beat": energy}).content.decode()
    assert f'id="name-{older.pk}"' in found
    found = as_bob.get("/o/acme/contacts/", {"beat": farming}).content.decode()
    assert f'id="name-{older.pk}"' not in found and "No contact matches" in found
