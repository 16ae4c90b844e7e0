from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import retention, sends, services
from pressdesk.contacts.models import Contact, Interaction, NoticeSend
from pressdesk.contacts.tasks import send_queued
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
    as_bob: Client, org: Organisation, stale: list[Contact]
) -> None:
    r = as_bob.post(url(org), {"pks": [stale[0].pk]}, follow=True)
    assert "1 contact is being asked again" in r.content.decode()
    (row,) = NoticeSend.objects.all()
    assert (row.contact, row.kind, row.state) == (stale[0], "reask", "pending")
    (result,) = DBTaskResult.objects.all()
    assert result.args_kwargs["args"] == [row.pk]


@pytest.mark.django_db
def test_a_rows_own_button_wins(as_bob: Client, org: Organisation, stale: list[Contact]) -> None:
    as_bob.post(url(org), {"pks": [c.pk for c in stale], "one": stale[1].pk})
    assert NoticeSend.objects.get().contact == stale[1]


@pytest.mark.django_db
def test_the_task_mails_a_link_and_keeps_the_flag(
    org: Organisation, bob: User, stale: list[Contact]
) -> None:
    services.opt_out(org, "paul@example.fr", "objection")
    retention.queue_reasks(org, [c.pk for c in stale], by=bob)
    assert sends.process(NoticeSend.objects.first().pk) == {"sent": 1, "skipped": 1, "failed": 0}
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
def test_the_task_does_not_ask_twice_in_a_day(
    org: Organisation, bob: User, stale: list[Contact]
) -> None:
    for _click in range(2):
        retention.queue_reasks(org, [stale[0].pk], by=bob)
        send_queued.call(NoticeSend.objects.last().pk)
    assert len(mail.outbox) == 1
    assert list(NoticeSend.objects.values_list("outcome", flat=True)) == ["sent", "skipped"]


@pytest.mark.django_db
def test_it_ignores_contacts_not_flagged(as_bob: Client, org: Organisation) -> None:
    fresh = person(org)
    as_bob.post(url(org), {"pks": [fresh.pk]})
    assert not DBTaskResult.objects.exists()
    assert not NoticeSend.objects.exists()


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation, stale: list[Contact]) -> None:
    assert as_charlie.post(url(org), {"pks": [stale[0].pk]}).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, stale: list[Contact]) -> None:
    assert as_vera.post(url(org), {"pks": [stale[0].pk]}).status_code == 403


@pytest.mark.django_db
def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(url(org)).status_code == 405
