from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import retention
from pressdesk.contacts.tests.gdpr_support import person

FOUR_YEARS = timedelta(days=4 * 365)


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/retention/"


@pytest.mark.django_db
def test_it_lists_flagged_contacts(as_bob: Client, org: Organisation) -> None:
    person(org, created=timezone.now() - FOUR_YEARS)
    person(org, "Paul", "Recent", emails=["paul@example.fr"])
    retention.flag_stale(org)
    r = as_bob.get(url(org))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Marie Dupont" in body
    assert "Paul Recent" not in body
    assert "Ask again" in body
    assert "Erase" in body


@pytest.mark.django_db
def test_it_says_when_nobody_is_flagged(as_bob: Client, org: Organisation) -> None:
    assert "No contact is flagged." in as_bob.get(url(org)).content.decode()


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(url(org)).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.get(url(org)).status_code == 403


@pytest.mark.django_db
def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(url(org)).status_code == 405
