from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample


@pytest.fixture
def marie(org: Organisation) -> Contact:
    return sample.contact(org)


def url(contact: Contact) -> str:
    return f"/o/acme/contacts/{contact.pk}/interactions/"


def test_it_logs_a_call_and_renews_the_retention_clock(as_bob: Client, marie: Contact) -> None:
    r = as_bob.post(url(marie), {"kind": "call", "summary": "Invitation au point presse"})
    assert r.status_code == 302
    interaction = marie.interactions.get()
    assert (interaction.kind, interaction.summary) == ("call", "Invitation au point presse")
    marie.refresh_from_db()
    assert marie.last_active_at == interaction.occurred_at


def test_it_takes_a_date(as_bob: Client, marie: Contact) -> None:
    as_bob.post(url(marie), {"kind": "meeting", "occurred_at": "2026-03-04T09:30"})
    when = marie.interactions.get().occurred_at
    assert when.isoformat().startswith("2026-03-04T08:30")  # 09:30 in Paris is 08:30 UTC


def test_it_refuses_kinds_other_modules_own(as_bob: Client, marie: Contact) -> None:
    as_bob.post(url(marie), {"kind": "email_open"})
    assert not marie.interactions.exists()


def test_it_forbids_a_viewer(as_vera: Client, marie: Contact) -> None:
    assert as_vera.post(url(marie), {"kind": "call"}).status_code == 403


def test_it_checks_the_organisation(as_charlie: Client, marie: Contact) -> None:
    assert as_charlie.post(url(marie), {"kind": "call"}).status_code == 404


def test_it_rejects_get(as_bob: Client, marie: Contact) -> None:
    assert as_bob.get(url(marie)).status_code == 405
