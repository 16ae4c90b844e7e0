"""Pause, resume, cancel (after its confirmation page) and the confirmation of a held send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.ledger import Outcome
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample
from pressdesk.work.models import WorkState


def url(mailing_id: int, move: str) -> str:
    return f"/o/acme/mailings/{mailing_id}/{move}/"


def in_state(org: Organisation, state: str) -> Mailing:
    mailing = pages_sample.sent(org)
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(state=state, finished_at=None)
    mailing.refresh_from_db()
    return mailing


def test_it_pauses_and_resumes(as_bob: Client, org: Organisation) -> None:
    mailing = in_state(org, MailingState.SENDING)
    r = as_bob.post(url(mailing.pk, "pause"))
    assert r.status_code == 302 and r["Location"].endswith(f"/{mailing.pk}/progress/")
    mailing.refresh_from_db()
    assert mailing.state == MailingState.PAUSED
    as_bob.post(url(mailing.pk, "resume"))
    mailing.refresh_from_db()
    assert mailing.state in (MailingState.SENDING, MailingState.SENT)
    assert AuditEntry.objects.filter(action="mailing.pause").count() == 1


def test_it_says_when_a_move_does_not_apply(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    r = as_bob.post(url(mailing.pk, "resume"), follow=True)
    assert "cannot be done now" in r.content.decode()
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT


def test_it_asks_before_cancelling_and_says_who_will_not_be_mailed(
    as_bob: Client, org: Organisation
) -> None:
    mailing = in_state(org, MailingState.PAUSED)
    Recipient.objects.for_org(org).filter(mailing=mailing, name="Anne Livrée").update(
        state=WorkState.PENDING, outcome=Outcome.QUEUED, sent_at=None
    )
    page = as_bob.get(url(mailing.pk, "cancel")).content.decode()
    assert "1 person still waiting will not be mailed" in page
    mailing.refresh_from_db()
    assert mailing.state == MailingState.PAUSED
    as_bob.post(url(mailing.pk, "cancel"))
    mailing.refresh_from_db()
    assert mailing.state == MailingState.CANCELLED
    anne = Recipient.objects.for_org(org).get(mailing=mailing, name="Anne Livrée")
    assert anne.outcome == Outcome.CANCELLED


def test_it_confirms_a_held_mailing_after_saying_how_many_it_reaches(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(
        state=MailingState.HELD, scheduled_for=timezone.now() - timedelta(hours=3)
    )
    page = as_bob.get(url(mailing.pk, "confirm")).content.decode()
    assert "2 people will receive it now." in page
    assert "nothing was sent" in page
    as_bob.post(url(mailing.pk, "confirm"))
    mailing.refresh_from_db()
    assert mailing.state in (MailingState.SENDING, MailingState.SENT)
    assert Recipient.objects.for_org(org).filter(mailing=mailing).count() == 2


def test_the_confirm_page_of_a_mailing_that_is_not_held_leads_to_the_mailing(
    as_bob: Client, org: Organisation
) -> None:
    mailing = pages_sample.sent(org)
    assert as_bob.get(url(mailing.pk, "confirm")).status_code == 302


@pytest.mark.parametrize("move", ["pause", "resume", "cancel", "confirm"])
def test_it_forbids_a_member_without_send(as_sam: Client, org: Organisation, move: str) -> None:
    mailing = in_state(org, MailingState.SENDING)
    assert as_sam.post(url(mailing.pk, move)).status_code == 403
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENDING


@pytest.mark.parametrize("move", ["pause", "resume", "cancel", "confirm"])
def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation, move: str
) -> None:
    theirs = in_state(other_org, MailingState.SENDING)
    assert as_bob.post(url(theirs.pk, move)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == MailingState.SENDING


@pytest.mark.parametrize("move", ["pause", "resume"])
def test_it_rejects_get(as_bob: Client, org: Organisation, move: str) -> None:
    assert as_bob.get(url(pages_sample.sent(org).pk, move)).status_code == 405


def test_it_rejects_put_on_cancel(as_bob: Client, org: Organisation) -> None:
    assert as_bob.put(url(pages_sample.sent(org).pk, "cancel")).status_code == 405
