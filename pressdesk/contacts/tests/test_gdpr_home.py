from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import retention, services
from pressdesk.contacts.tests.gdpr_support import person


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/"


@pytest.mark.django_db
def test_it_counts_what_needs_doing(as_bob: Client, org: Organisation) -> None:
    services.opt_out(org, "a@example.fr", "objection")
    services.opt_out(org, "b@example.fr", "hard_bounce")
    person(org, source_kind="import")
    person(
        org,
        "Old",
        "Timer",
        emails=["old@example.fr"],
        created=timezone.now() - timedelta(days=4 * 365),
    )
    retention.flag_stale(org)
    body = as_bob.get(url(org)).content.decode()
    assert "2 addresses that are never mailed." in body
    assert "1 contact from a third-party source has not been told yet." in body
    assert "1 contact without active contact for 3 years." in body


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(url(org)).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.get(url(org)).status_code == 403


@pytest.mark.django_db
def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(url(org)).status_code == 405
