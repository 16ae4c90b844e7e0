"""Scheduled mailings: started when due, held for confirmation when Pressdesk missed their time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.mailings import services, tasks
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list
from pressdesk.releases.models import ReleaseState
from pressdesk.releases.tests import newsroom_data
from pressdesk.work.models import WorkState


def scheduled(org: Organisation, user: User, ago: timedelta, **fields: object) -> Mailing:
    """A mailing scheduled for later, whose time is then moved to `ago` in the past."""
    mailing = free_mailing(org, user, static_list(org, "Presse", people(org, 2)), **fields)
    services.start(mailing, user, at=timezone.now() + timedelta(hours=1))
    Mailing.objects.filter(pk=mailing.pk).update(scheduled_for=timezone.now() - ago)
    return mailing


def test_a_due_mailing_starts_and_a_missed_one_is_held(org: Organisation, bob: User) -> None:
    due = scheduled(org, bob, timedelta(minutes=2), subject="À l'heure")
    missed = scheduled(org, bob, timedelta(hours=3), subject="Manqué")
    later = free_mailing(org, bob, static_list(org, "Autre", people(org, 1, prefix="q")))
    services.start(later, bob, at=timezone.now() + timedelta(days=1))

    assert tasks.start_due_mailings() == {"started": 1, "held": 1, "finished": 0}
    for m in (due, missed, later):
        m.refresh_from_db()
    assert due.state == MailingState.SENDING
    assert Recipient.objects.filter(mailing=due, state=WorkState.PENDING).count() == 2
    assert missed.state == MailingState.HELD and missed.frozen_at is None
    assert "while Pressdesk was not running" in missed.state_reason
    assert later.state == MailingState.SCHEDULED
    hold = AuditEntry.objects.get(action="mailing.hold")
    assert hold.actor is None and hold.actor_label == "pressdesk"
    # Running the job again changes nothing: the held one waits for a person.
    assert tasks.start_due_mailings()["held"] == 0
    services.confirm_held(missed, bob)
    assert missed.state == MailingState.SENDING
    assert AuditEntry.objects.get(action="mailing.confirm_held").actor == bob


def test_a_release_edited_after_scheduling_is_held(org: Organisation, bob: User) -> None:
    release = newsroom_data.release(org, state=ReleaseState.APPROVED)
    mailing = services.create_mailing(
        org, bob, release=release, lists=[static_list(org, "Presse", people(org, 2))]
    )
    services.start(mailing, bob, at=timezone.now() + timedelta(hours=1))
    release.approved_version = None  # edited: the signatures are void
    release.save(update_fields=["approved_version"])
    Mailing.objects.filter(pk=mailing.pk).update(scheduled_for=timezone.now())
    assert tasks.start_due_mailings()["held"] == 1
    mailing.refresh_from_db()
    assert mailing.state == MailingState.HELD and "release changed" in mailing.state_reason
    assert not Recipient.objects.filter(mailing=mailing).exists()


def test_the_job_closes_mailings_whose_last_rows_were_settled_elsewhere(
    org: Organisation, bob: User
) -> None:
    mailing = services.start(
        free_mailing(org, bob, static_list(org, "Presse", people(org, 2))), bob
    )
    # The sweeper made the last rows unknown after their worker died: no worker is left to close.
    Recipient.objects.filter(mailing=mailing).update(state=WorkState.INTERRUPTED, outcome="sending")
    assert tasks.start_due_mailings()["finished"] == 1
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    assert services.status(mailing)["unknown"] == 2


def test_the_job_and_the_kind_are_registered() -> None:
    from pressdesk import scheduler
    from pressdesk.mailings.models import Recipient as Row
    from pressdesk.work.kinds import kind_of

    assert "mailings.due" in scheduler.JOBS
    kind = kind_of(Row)
    assert kind.redo_safe is False and kind.group == ("mailing_id",)
