from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.mailings import services
from pressdesk.mailings.models import Recipient
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample
from pressdesk.releases.tests import sample as releases


def url(mailing_id: int) -> str:
    return f"/o/acme/mailings/{mailing_id}/send/"


def test_it_sends_now_and_freezes_the_recipients(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    r = as_bob.post(url(mailing.pk), {"when": "now"})
    assert r.status_code == 302 and r["Location"].endswith(f"/{mailing.pk}/progress/")
    mailing.refresh_from_db()
    assert mailing.state in (MailingState.SENDING, MailingState.SENT)
    assert Recipient.objects.for_org(org).filter(mailing=mailing).count() == 2
    assert AuditEntry.objects.filter(action="mailing.send", object_id=str(mailing.pk)).exists()


def test_it_schedules_in_the_organisations_time_zone(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    day = (timezone.now() + timedelta(days=3)).date()
    r = as_bob.post(url(mailing.pk), {"when": "schedule", "day": day.isoformat(), "at": "10:00"})
    assert r.status_code == 302
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SCHEDULED
    assert mailing.scheduled_for is not None
    # 10:00 in Paris is 08:00 or 09:00 UTC depending on the season.
    assert mailing.scheduled_for.astimezone(UTC).hour in (8, 9)
    assert mailing.scheduled_for.astimezone(UTC).date() == day
    assert not Recipient.objects.for_org(org).filter(mailing=mailing).exists()


def test_it_says_why_a_schedule_without_time_is_refused(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    r = as_bob.post(url(mailing.pk), {"when": "schedule", "day": ""}, follow=True)
    assert "Give the date and time of the send." in r.content.decode()
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT


def test_it_refuses_a_release_that_is_not_approved(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    draft_release = releases.release(org, bob, title="Pas encore validé")
    mailing = services.create_mailing(
        org, bob, release=draft_release, lists=[pages_sample.press_list(org)]
    )
    r = as_bob.post(url(mailing.pk), {"when": "now"}, follow=True)
    assert "must be approved" in r.content.decode()
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT
    assert mailing.frozen_at is None


def test_it_forbids_a_member_without_send(as_sam: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_sam.post(url(mailing.pk), {"when": "now"}).status_code == 403
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_vera.post(url(mailing.pk), {"when": "now"}).status_code == 403


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation, charlie: User
) -> None:
    theirs = pages_sample.draft(other_org, charlie)
    assert as_bob.post(url(theirs.pk), {"when": "now"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == MailingState.DRAFT


def test_it_is_404_for_an_outsider(as_charlie: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_charlie.post(url(mailing.pk), {"when": "now"}).status_code == 404


def test_it_rejects_get(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_bob.get(url(mailing.pk)).status_code == 405


def test_it_refuses_a_time_already_past_rather_than_send_at_once(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    past = datetime(2020, 1, 1, tzinfo=UTC).date()
    r = as_bob.post(
        url(mailing.pk), {"when": "schedule", "day": past.isoformat(), "at": "10:00"}, follow=True
    )
    assert "This time has passed" in r.content.decode()
    mailing.refresh_from_db()
    assert mailing.state == MailingState.DRAFT
