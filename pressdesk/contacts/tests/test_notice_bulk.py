from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from pressdesk import scheduler
from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import gdpr, services
from pressdesk.contacts.models import Contact, Interaction, NoticeSend
from pressdesk.contacts.tasks import send_queued
from pressdesk.contacts.tests.gdpr_support import person


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/contacts/gdpr/notices/"


@pytest.fixture
def imported(org: Organisation) -> list[Contact]:
    return [
        person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import"),
        person(org, "Paul", "Martin", emails=["paul@example.fr"], source_kind="import"),
        person(org, "Zoé", "Opposée", emails=["zoe@example.fr"], source_kind="import"),
    ]


@pytest.mark.django_db
def test_it_lists_who_has_not_been_told(as_bob: Client, org: Organisation, imported: Any) -> None:
    person(org, "Manual", "Entry", emails=["manual@example.fr"])  # told in person: not listed
    person(
        org,
        "Already",
        "Told",
        emails=["told@example.fr"],
        source_kind="import",
        notice_sent_at="2026-01-01T00:00Z",
    )
    r = as_bob.get(url(org))
    assert r.status_code == 200
    body = r.content.decode()
    assert "3 contacts from third-party sources have not had the notice." in body
    assert "Marie Dupont" in body
    assert "Manual" not in body
    assert "Already" not in body


@pytest.mark.django_db
def test_it_queues_one_row_per_recipient_and_a_wake_up(
    as_bob: Client, org: Organisation, bob: User, imported: Any
) -> None:
    r = as_bob.post(url(org))
    assert r.status_code == 302
    rows = list(NoticeSend.objects.all())
    assert sorted(row.contact_id for row in rows) == sorted(c.pk for c in imported)
    assert {(row.kind, row.state, row.requested_by_id) for row in rows} == {
        ("notice", "pending", bob.pk)
    }
    # The wake-up carries one row id, and is written with the rows (no on_commit window).
    (result,) = DBTaskResult.objects.all()
    assert result.task_path == "pressdesk.contacts.tasks.send_queued"
    assert result.args_kwargs["args"] == [rows[0].pk]
    assert mail.outbox == []  # nothing is sent in the request


@pytest.mark.django_db
def test_a_second_click_queues_nobody_twice(org: Organisation, bob: User, imported: Any) -> None:
    assert gdpr.queue_notices(org, by=bob) == 3
    assert gdpr.queue_notices(org, by=bob) == 0
    assert NoticeSend.objects.count() == 3


@pytest.mark.django_db
def test_the_task_sends_records_and_skips_opted_out(
    org: Organisation, bob: User, imported: list[Contact]
) -> None:
    services.opt_out(org, "ZOE@example.fr", "objection")
    gdpr.queue_notices(org, by=bob)
    outcome = send_queued.call(NoticeSend.objects.first().pk)
    assert outcome is None
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@example.fr", "paul@example.fr"]
    told = Contact.objects.exclude(notice_sent_at=None)
    assert sorted(c.first_name for c in told) == ["Marie", "Paul"]
    assert Interaction.objects.filter(kind="notice").count() == 2
    audit = AuditEntry.objects.get(action="contact.notice_sent")
    assert audit.data == {"count": 2, "skipped": 1, "bulk": True}
    assert audit.actor == bob
    outcomes = dict(NoticeSend.objects.values_list("contact__first_name", "outcome"))
    assert outcomes == {"Marie": "sent", "Paul": "sent", "Zoé": "skipped"}
    assert set(NoticeSend.objects.values_list("state", flat=True)) == {"done"}


@pytest.mark.django_db
def test_the_task_sends_each_notice_once(org: Organisation, bob: User, imported: Any) -> None:
    gdpr.queue_notices(org, by=bob)
    first = NoticeSend.objects.first()
    send_queued.call(first.pk)
    send_queued.call(first.pk)  # a wake-up run twice
    assert len(mail.outbox) == 3


def test_the_worker_runs_it(
    flushable_db: None, org: Organisation, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Committed for real, as in production: the task is enqueued on commit, then the worker
    # (another connection's view of the database) finds and runs it.
    monkeypatch.setattr(scheduler, "JOBS", {})
    people = [
        person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import"),
        person(org, "Paul", "Martin", emails=["paul@example.fr"], source_kind="import"),
    ]
    assert gdpr.queue_notices(org, by=bob) == 2
    assert DBTaskResult.objects.count() == 1
    assert NoticeSend.objects.filter(state="pending").count() == 2
    call_command("worker", "--until-idle", stdout=StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@example.fr", "paul@example.fr"]
    assert not Contact.objects.filter(pk__in=[p.pk for p in people], notice_sent_at=None).exists()
    assert set(NoticeSend.objects.values_list("state", flat=True)) == {"done"}


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation, imported: Any) -> None:
    assert as_charlie.get(url(org)).status_code == 404
    assert as_charlie.post(url(org)).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, imported: Any) -> None:
    assert as_vera.get(url(org)).status_code == 403
    assert as_vera.post(url(org)).status_code == 403
    assert not DBTaskResult.objects.exists()
    assert not NoticeSend.objects.exists()


@pytest.mark.django_db
def test_it_rejects_other_methods(as_bob: Client, org: Organisation) -> None:
    assert as_bob.put(url(org)).status_code == 405


def test_a_task_that_fails_gives_its_claims_back_at_once(
    flushable_db: None, org: Organisation, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressdesk.mailings import outbox

    monkeypatch.setattr(scheduler, "JOBS", {})
    person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import")
    person(org, "Paul", "Martin", emails=["paul@example.fr"], source_kind="import")
    assert gdpr.queue_notices(org, by=bob) == 2
    real, failures = outbox.Outbox, []

    def fails_once(*args: Any, **kwargs: Any) -> Any:
        if not failures:
            failures.append(1)
            raise RuntimeError("a passing fault after the batch was claimed")
        return real(*args, **kwargs)

    monkeypatch.setattr(outbox, "Outbox", fails_once)
    call_command("worker", "--until-idle", stdout=StringIO())
    # The same living worker sends them at once: the failed task's claims were not left to
    # a lease its own heartbeat kept renewing.
    assert failures == [1]
    assert sorted(m.to[0] for m in mail.outbox) == ["marie@example.fr", "paul@example.fr"]
    assert set(NoticeSend.objects.values_list("state", flat=True)) == {"done"}


def test_a_task_that_always_fails_ends_interrupted_not_claimed(
    flushable_db: None, org: Organisation, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressdesk.mailings import outbox

    monkeypatch.setattr(scheduler, "JOBS", {})
    person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import")
    assert gdpr.queue_notices(org, by=bob) == 1

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("a bug after the batch was claimed")

    monkeypatch.setattr(outbox, "Outbox", broken)
    call_command("worker", "--until-idle", stdout=StringIO())
    # Retried until its attempts ran out, then handed to a person: nothing mailed, nothing
    # stuck under a worker's name.
    assert not mail.outbox
    assert list(NoticeSend.objects.values_list("state", flat=True)) == ["interrupted"]
