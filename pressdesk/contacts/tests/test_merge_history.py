"""The history line a merge leaves reads in the reader's language, whoever merged and in which
language: « Fusionné avec Élodie Carré » for a French reader, "Merged with Élodie Carré" for an
English one; never an id, never doubled parentheses. Rows written before it was stored as data
stay readable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import duplicates
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.models.contacts import SourceKind

pytestmark = pytest.mark.django_db


def _history(user: User, contact: Contact, language: str) -> str:
    user.language = language
    user.save()
    client = Client()
    client.force_login(user)
    page = client.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    return page.split('id="history-title"')[1].split("</section>")[0]


@pytest.fixture
def merged(org: Organisation, bob: User) -> tuple[Contact, int]:
    """Élodie merged by a French-speaking press officer: the kept contact and the deleted id."""
    older = Contact.objects.create(
        org=org, first_name="Élodie", last_name="Carré", created=timezone.now() - timedelta(days=9)
    )
    newer = Contact.objects.create(
        org=org,
        first_name="Élodie",
        last_name="Carré",
        source_kind=SourceKind.IMPORT,
        source_label="salon-2026.csv",
        job_title="Pigiste",
    )
    bob.language = "fr"
    bob.save()
    kept = duplicates.merge(org, older.pk, newer.pk, by=bob)
    return kept, newer.pk


def test_it_reads_in_french_for_a_french_reader(alice: User, merged: tuple[Contact, int]) -> None:
    kept, gone = merged
    history = _history(alice, kept, "fr")
    assert "<strong>Fusionné avec Élodie Carré</strong>" in history
    assert "— salon-2026.csv, intérêt légitime, fiche créée le" in history
    assert f"#{gone}" not in history and f"n° {gone}" not in history
    assert "((" not in history and "))" not in history
    assert "Merged" not in history and "merged_from" not in history


def test_it_reads_in_english_for_an_english_reader(
    alice: User, merged: tuple[Contact, int]
) -> None:
    kept, _gone = merged
    history = _history(alice, kept, "en")
    assert "<strong>Merged with Élodie Carré</strong>" in history
    assert "— salon-2026.csv, legitimate interest, record created on" in history
    assert "Fusionné" not in history and "fiche" not in history


@pytest.mark.parametrize(
    ("value", "source"),
    [
        # The first form: the deleted record's id in the value and in the source.
        (
            "#59 Élodie Carré — source: fichier.xlsx; lawful basis: x",
            "contact n° 59 fusionné (Élodie Carré)",
        ),
        (
            "#59 Élodie Carré — source: fichier.xlsx; lawful basis: x",
            "merged contact #59 (Élodie Carré)",
        ),
        # The second form: words in the merger's language, no id.
        ("Élodie Carré — fichier.xlsx, intérêt légitime, fiche créée le 02/03/2025", ""),
    ],
)
def test_it_keeps_older_rows_readable(
    org: Organisation, alice: User, value: str, source: str
) -> None:
    contact = Contact.objects.create(org=org, first_name="Élodie", last_name="Carré")
    FieldChange.objects.create(
        contact=contact,
        field="merged_from",
        new_value=value,
        source_kind=SourceKind.MERGE,
        source_label=source,
    )
    history = _history(alice, contact, "fr")
    assert "<strong>Fusionné avec Élodie Carré</strong> — " in history
    assert "#59" not in history and "n° 59" not in history
    assert "((" not in history and "))" not in history
    if source:
        assert "· Fusion de doublons\u00a0: Élodie Carré</span>" in history


def test_a_source_with_parentheses_is_not_wrapped_in_more(org: Organisation, alice: User) -> None:
    contact = Contact.objects.create(org=org, first_name="Léa", last_name="Aubert")
    FieldChange.objects.create(
        contact=contact,
        field="job_title",
        new_value="Journaliste",
        source_kind=SourceKind.IMPORT,
        source_label="fichier-presse-2025.xlsx (démo)",
    )
    history = _history(alice, contact, "fr")
    assert "· Fichier importé\u00a0: fichier-presse-2025.xlsx (démo)</span>" in history
    assert "))" not in history
