from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests.gdpr_support import person


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/retention/check/"


@pytest.mark.django_db
def test_it_flags_now(as_bob: Client, org: Organisation) -> None:
    person(org, created=timezone.now() - timedelta(days=4 * 365))
    r = as_bob.post(url(org), follow=True)
    assert "1 more contact is flagged." in r.content.decode()
    assert Contact.objects.get().retention_flagged_at is not None
    assert AuditEntry.objects.get(action="contact.retention_check").data == {"flagged": 1}


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(url(org)).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(url(org)).status_code == 403


@pytest.mark.django_db
def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(url(org)).status_code == 405
