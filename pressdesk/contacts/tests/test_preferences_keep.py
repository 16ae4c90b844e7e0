from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import preferences, retention
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests.gdpr_support import person


def url(token: str) -> str:
    return f"/p/{token}/keep/"


@pytest.fixture
def flagged(org: Organisation) -> Contact:
    contact = person(org, created=timezone.now() - timedelta(days=4 * 365))
    retention.flag_stale(org)
    contact.refresh_from_db()
    assert contact.retention_flagged_at is not None
    return contact


@pytest.mark.django_db
def test_the_page_asks_a_flagged_person(client: Client, flagged: Contact) -> None:
    body = client.get(f"/p/{preferences.token_for(flagged)}/?lang=en").content.decode()
    assert "Yes, keep me on your press list" in body


@pytest.mark.django_db
def test_confirming_restarts_the_clock(client: Client, org: Organisation, flagged: Contact) -> None:
    r = client.post(url(preferences.token_for(flagged)))
    assert r.status_code == 302
    flagged.refresh_from_db()
    assert flagged.retention_flagged_at is None
    assert flagged.last_active_at is not None
    assert timezone.now() - flagged.last_active_at < timedelta(minutes=1)
    assert retention.flag_stale(org) == 0


@pytest.mark.django_db
def test_saving_preferences_also_counts(client: Client, flagged: Contact) -> None:
    client.post(f"/p/{preferences.token_for(flagged)}/", {"fmt": "full"})
    flagged.refresh_from_db()
    assert flagged.retention_flagged_at is None


@pytest.mark.django_db
def test_it_needs_the_csrf_token(flagged: Contact) -> None:
    r = Client(enforce_csrf_checks=True).post(url(preferences.token_for(flagged)))
    assert r.status_code == 403
    assert Contact.objects.get().retention_flagged_at is not None


@pytest.mark.django_db
def test_it_rejects_get(client: Client, flagged: Contact) -> None:
    assert client.get(url(preferences.token_for(flagged))).status_code == 405
    assert Contact.objects.get().retention_flagged_at is not None


@pytest.mark.django_db
def test_a_tampered_link_does_nothing(client: Client, flagged: Contact) -> None:
    assert client.post(url(preferences.token_for(flagged) + "0")).status_code == 404
    assert Contact.objects.get().retention_flagged_at is not None
