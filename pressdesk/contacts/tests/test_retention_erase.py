from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import retention, services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests.gdpr_support import EMAIL, person

OLD = timedelta(days=4 * 365)


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/retention/erase/"


@pytest.fixture
def stale(org: Organisation) -> list[Contact]:
    people = [
        person(org, created=timezone.now() - OLD),
        person(org, "Paul", "Martin", emails=["paul@example.fr"], created=timezone.now() - OLD),
    ]
    retention.flag_stale(org)
    return people


@pytest.mark.django_db
def test_it_asks_for_confirmation_first(
    as_bob: Client, org: Organisation, stale: list[Contact]
) -> None:
    r = as_bob.post(url(org), {"pks": [c.pk for c in stale]})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Erase 2 contacts?" in body
    assert "Marie Dupont" in body and "Paul Martin" in body
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_erases_the_confirmed_contacts(
    as_bob: Client, org: Organisation, stale: list[Contact]
) -> None:
    keep = person(org, "Zoé", "Active", emails=["zoe@example.fr"])
    r = as_bob.post(url(org), {"pks": [c.pk for c in stale] + [keep.pk], "confirm": "yes"})
    assert r.status_code == 302
    # Only flagged contacts can be erased from here.
    assert list(Contact.objects.values_list("pk", flat=True)) == [keep.pk]
    assert services.is_opted_out(org, EMAIL)
    assert services.is_opted_out(org, "paul@example.fr")
    assert AuditEntry.objects.filter(action="contact.erase").count() == 2


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation, stale: list[Contact]) -> None:
    r = as_charlie.post(url(org), {"pks": [stale[0].pk], "confirm": "yes"})
    assert r.status_code == 404
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, stale: list[Contact]) -> None:
    r = as_vera.post(url(org), {"pks": [stale[0].pk], "confirm": "yes"})
    assert r.status_code == 403
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(url(org)).status_code == 405
