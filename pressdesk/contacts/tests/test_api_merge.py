"""POST /api/v1/contacts/{id}/merge: the other contact merged into this one, with the same
history and audit entry as a merge from the duplicates page."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.tests import sample
from pressdesk.contacts.tests.test_api_contacts import BASE, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(org: Organisation) -> tuple[Contact, Contact]:
    """The same journalist twice; the newer record is the one the script wants to keep."""
    older = sample.contact(
        org,
        "Hélène",
        "Lefèvre",
        emails=["helene@example.fr"],
        job_title="Pigiste",
        region="Bretagne",
        beats=["Énergie"],
        created=timezone.now() - timedelta(days=90),
    )
    newer = sample.contact(
        org,
        "Helene",
        "Lefevre",
        emails=["h.lefevre@example.com"],
        job_title="Rédactrice en chef",
        beats=["Agriculture"],
        tags=["VIP"],
    )
    return older, newer


def _merge(client: Client, user: User, keep: Contact, other_id: int, **body: object) -> Any:
    return client.post(
        f"{BASE}{keep.pk}/merge",
        json.dumps({"other_id": other_id, **body}),
        content_type="application/json",
        **bearer(user),
    )


def test_it_merges_into_the_contact_named_in_the_url(
    client: Client, bob: User, twins: tuple[Contact, Contact]
) -> None:
    older, newer = twins
    r = _merge(client, bob, newer, older.pk)
    assert r.status_code == 200, r.content
    data = r.json()
    # The URL's contact is kept although it is the newer one, with its values where both differ.
    assert data["id"] == newer.pk and not Contact.objects.filter(pk=older.pk).exists()
    assert (data["first_name"], data["job_title"], data["region"]) == (
        "Helene",
        "Rédactrice en chef",
        "Bretagne",
    )
    assert sorted(data["emails"]) == ["h.lefevre@example.com", "helene@example.fr"]
    assert sorted(data["beats"]) == ["Agriculture", "Énergie"]
    # Audited and recorded as the merge page does it.
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.actor == bob and entry.data["merged_id"] == older.pk
    assert entry.data["merged_name"] == "Hélène Lefèvre"
    note = FieldChange.objects.get(contact_id=newer.pk, field="merged_from")
    assert json.loads(note.new_value)["name"] == "Hélène Lefèvre" and note.changed_by == bob


def test_it_takes_choices_per_field(
    client: Client, bob: User, twins: tuple[Contact, Contact]
) -> None:
    older, newer = twins
    fields = {"first_name": "keep", "beats": "other", "tags": "keep"}
    r = _merge(client, bob, older, newer.pk, prefer="other", fields=fields)
    data = r.json()
    assert data["id"] == older.pk
    assert (data["first_name"], data["last_name"], data["job_title"]) == (
        "Hélène",
        "Lefevre",
        "Rédactrice en chef",
    )
    assert (data["beats"], data["tags"]) == (["Agriculture"], [])
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.data["chosen"] == ["job_title", "last_name"]
    assert entry.data["groups"] == {"beats": "other", "tags": "keep"}


@pytest.mark.parametrize(
    "body",
    [
        {"fields": {"nonsense": "keep"}},
        {"fields": {"job_title": "both"}},
        {"fields": {"beats": "all"}},
        {"prefer": "newest"},
    ],
)
def test_it_refuses_unknown_choices(
    client: Client, bob: User, twins: tuple[Contact, Contact], body: dict[str, object]
) -> None:
    older, newer = twins
    assert _merge(client, bob, older, newer.pk, **body).status_code == 422
    assert Contact.objects.count() == 2 and not AuditEntry.objects.filter(action="contacts.merge")


def test_it_refuses_a_contact_merged_with_itself(
    client: Client, bob: User, twins: tuple[Contact, Contact]
) -> None:
    older, _newer = twins
    assert _merge(client, bob, older, older.pk).status_code == 422
    assert Contact.objects.count() == 2


def test_it_requires_the_edit_permission(
    client: Client, vera: User, twins: tuple[Contact, Contact]
) -> None:
    older, newer = twins
    assert _merge(client, vera, older, newer.pk).status_code == 403
    assert Contact.objects.count() == 2


def test_another_organisations_contacts_are_not_found(
    client: Client,
    bob: User,
    charlie: User,
    other_org: Organisation,
    twins: tuple[Contact, Contact],
) -> None:
    older, newer = twins
    theirs = sample.contact(other_org, "Hélène", "Lefèvre")
    # Theirs into ours, ours into theirs, and our pair with their token: all 404.
    assert _merge(client, bob, older, theirs.pk).status_code == 404
    assert _merge(client, charlie, theirs, older.pk).status_code == 404
    assert _merge(client, charlie, older, newer.pk).status_code == 404
    assert Contact.objects.count() == 3


def test_it_refuses_other_methods(
    client: Client, bob: User, twins: tuple[Contact, Contact]
) -> None:
    older, _newer = twins
    assert client.get(f"{BASE}{older.pk}/merge", **bearer(bob)).status_code == 405


def test_it_requires_the_other_contact(
    client: Client, bob: User, twins: tuple[Contact, Contact]
) -> None:
    older, _newer = twins
    r = client.post(f"{BASE}{older.pk}/merge", "{}", content_type="application/json", **bearer(bob))
    assert r.status_code == 422 and Contact.objects.count() == 2
