from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import retention, services
from pressdesk.contacts.models import Contact, Interaction
from pressdesk.contacts.tests.gdpr_support import person

OLD = timedelta(days=4 * 365)


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/retention/reask/"


@pytest.fixture
def stale(org: Organisation) -> list[Contact]:
    people = [
        person(org, created=timezone.now() - OLD),
        person(org, "Paul", "Martin", emails=["paul@example.fr"], created=timezone.now() - OLD),
    ]
    retention.flag_stale(org)
    return people


@pytest.mark.django_db
def test_it_queues_the_selected_contacts(
    as_bob: Client, org: Organisation, stale: list[Contact], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = as_bob.post(url(org), {"pks": [stale[0].pk]}, follow=True)
    assert "1 contact is being asked again" in r.content.decode()
    (result,) = DBTaskResult.objects.all()
    assert result.args_kwargs["args"][1] == [stale[0].pk]


@pytest.mark.django_db
def test_a_rows_own_button_wins(
    as_bob: Client, org: Organisation, stale: list[Contact], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        as_bob.post(url(org), {"pks": [c.pk for c in stale], "one": stale[1].pk})
    assert DBTaskResult.objects.get().args_kwargs["args"][1] == [stale[1].pk]


@pytest.mark.django_db
def test_the_task_mails_a_link_and_keeps_the_flag(
    org: Organisation, bob: User, stale: list[Contact]
) -> None:
    services.opt_out(org, "paul@example.fr", "objection")
    outcome = retention.send_reasks.call(org.pk, [c.pk for c in stale], bob.pk)
    assert outcome == {"sent": 1, "skipped": 1}
    (message,) = mail.outbox
    assert message.to == ["Marie.Dupont@ouest-france.example.fr"]
    assert "/p/" in message.body
    # The clock restarts only when the person confirms.
    assert Contact.objects.filter(retention_flagged_at=None).count() == 0
    assert Interaction.objects.filter(object_type=retention.REASK_OBJECT_TYPE).count() == 1
    assert AuditEntry.objects.get(action="contact.retention_reask").data == {
        "count": 1,
        "skipped": 1,
    }


@pytest.mark.django_db
def test_the_task_does_not_ask_twice_in_a_day(org: Organisation, stale: list[Contact]) -> None:
    retention.send_reasks.call(org.pk, [stale[0].pk])
    retention.send_reasks.call(org.pk, [stale[0].pk])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_ignores_contacts_not_flagged(
    as_bob: Client, org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    fresh = person(org)
    with django_capture_on_commit_callbacks(execute=True):
        as_bob.post(url(org), {"pks": [fresh.pk]})
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation, stale: list[Contact]) -> None:
    assert as_charlie.post(url(org), {"pks": [stale[0].pk]}).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, stale: list[Contact]) -> None:
    assert as_vera.post(url(org), {"pks": [stale[0].pk]}).status_code == 403


@pytest.mark.django_db
def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(url(org)).status_code == 405
