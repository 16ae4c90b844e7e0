"""The mailing services: roles, approval, conditional state changes, audit, status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import ContactList
from pressdesk.mailings import services
from pressdesk.mailings.errors import HeaderInjection, MailingError, NotApproved, WrongState
from pressdesk.mailings.models import Recipient
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list
from pressdesk.releases.models import ReleaseState
from pressdesk.releases.tests import newsroom_data
from pressdesk.work.models import WorkState

STATUS_KEYS = {
    "id",
    "state",
    "recipients",
    "queued",
    "sent",
    "failed",
    "unknown",
    "bounced",
    "replied",
    "unsubscribed",
    "excluded",
}


@pytest.fixture
def press(org: Organisation) -> ContactList:
    return static_list(org, "Presse", people(org, 3))


def test_roles_for_free_text(
    org: Organisation,
    alice: User,
    bob: User,
    sam: User,
    vera: User,
    charlie: User,
    press: ContactList,
) -> None:
    for outsider in (sam, vera, charlie):
        with pytest.raises(PermissionDenied):
            free_mailing(org, outsider, press)
    assert free_mailing(org, bob, press).created_by == bob
    mailing = free_mailing(org, alice, press)
    for outsider in (sam, vera, charlie):
        with pytest.raises(PermissionDenied):
            services.start(mailing, outsider)
        with pytest.raises(PermissionDenied):
            services.cancel(mailing, outsider)
    assert Recipient.objects.count() == 0


def test_a_release_mailing_needs_the_release_approved(
    org: Organisation, bob: User, press: ContactList
) -> None:
    release = newsroom_data.release(org, state=ReleaseState.APPROVED)
    mailing = services.create_mailing(org, bob, release=release, lists=[press])
    assert mailing.kind == "release" and mailing.subject == release.title
    # Edited after approval: the approved version is no longer the current one.
    release.approved_version = None
    release.save(update_fields=["approved_version"])
    with pytest.raises(NotApproved):
        services.start(mailing, bob)
    with pytest.raises(NotApproved):
        services.start(mailing, None)  # the shell operator too
    assert Recipient.objects.count() == 0
    draft = newsroom_data.release(org, "Brouillon", state=ReleaseState.DRAFT)
    with pytest.raises(NotApproved):
        services.start(services.create_mailing(org, bob, release=draft, lists=[press]), bob)
    release.approved_version = release.current_version
    release.save(update_fields=["approved_version"])
    assert services.start(mailing, bob).state == MailingState.SENDING


def test_another_organisations_things_are_refused(
    org: Organisation, other_org: Organisation, bob: User
) -> None:
    theirs = static_list(other_org, "Autre", people(other_org, 1, prefix="x"))
    with pytest.raises(MailingError):
        services.create_mailing(org, bob, kind="free", subject="S", lists=[theirs])
    release = newsroom_data.release(other_org)
    with pytest.raises(MailingError):
        services.create_mailing(org, bob, release=release)


def test_header_injection_is_refused(org: Organisation, bob: User, press: ContactList) -> None:
    with pytest.raises(HeaderInjection):
        free_mailing(org, bob, press, subject="Hello\r\nBcc: all@example.org")
    mailing = free_mailing(org, bob, press)
    with pytest.raises(HeaderInjection):
        services.update_mailing(mailing, bob, sender_name="Acme\nBcc: x@y.z")


def test_send_pause_resume_cancel_are_conditional_and_audited(
    org: Organisation, bob: User, press: ContactList
) -> None:
    mailing = free_mailing(org, bob, press)
    with pytest.raises(WrongState):
        services.pause(mailing, bob)
    services.start(mailing, bob)
    assert Recipient.objects.filter(mailing=mailing, state=WorkState.PENDING).count() == 3
    with pytest.raises(WrongState):
        services.start(mailing, bob)  # a double click sends once
    with pytest.raises(WrongState):
        services.update_mailing(mailing, bob, subject="Autre")
    services.pause(mailing, bob, "On vérifie")
    assert mailing.state == MailingState.PAUSED and mailing.state_reason == "On vérifie"
    with pytest.raises(WrongState):
        services.pause(mailing, bob)
    services.resume(mailing, bob)
    services.cancel(mailing, bob)
    assert mailing.state == MailingState.CANCELLED
    assert set(Recipient.objects.filter(mailing=mailing).values_list("outcome", flat=True)) == {
        "cancelled"
    }
    with pytest.raises(WrongState):
        services.resume(mailing, bob)
    actions = list(
        AuditEntry.objects.filter(object_id=str(mailing.pk))
        .order_by("pk")
        .values_list("action", "actor_label")
    )
    assert actions == [
        ("mailing.send", "bob@example.org"),
        ("mailing.pause", "bob@example.org"),
        ("mailing.resume", "bob@example.org"),
        ("mailing.cancel", "bob@example.org"),
    ]
    assert AuditEntry.objects.get(action="mailing.send").data == {"recipients": 3}


def test_schedule_then_held(org: Organisation, bob: User, press: ContactList) -> None:
    mailing = free_mailing(org, bob, press)
    at = timezone.now() + timedelta(hours=2)
    services.start(mailing, bob, at=at)
    assert mailing.state == MailingState.SCHEDULED and mailing.scheduled_for == at
    assert mailing.frozen_at is None
    services.hold(mailing, "Pressdesk était arrêté")
    assert mailing.state == MailingState.HELD
    with pytest.raises(WrongState):
        services.start(mailing, bob)
    services.confirm_held(mailing, bob)
    assert mailing.state == MailingState.SENDING
    assert Recipient.objects.filter(mailing=mailing).count() == 3


def test_status_has_the_documented_keys(org: Organisation, bob: User, press: ContactList) -> None:
    mailing = free_mailing(org, bob, press)
    before = services.status(mailing)
    assert set(before) >= STATUS_KEYS
    assert (before["recipients"], before["queued"], before["sent"]) == (3, 3, 0)
    assert before["excluded"] == {
        "opted_out": 0,
        "bounced": 0,
        "no_email": 0,
        "never": 0,
        "duplicate": 0,
    }
    services.start(mailing, bob)
    after = services.status(mailing)
    assert (after["state"], after["recipients"], after["queued"], after["unknown"]) == (
        "sending",
        3,
        3,
        0,
    )


def test_unknown_rows_wait_for_the_operator(
    org: Organisation, bob: User, vera: User, press: ContactList
) -> None:
    mailing = free_mailing(org, bob, press)
    services.start(mailing, bob)
    rows = list(Recipient.objects.filter(mailing=mailing).order_by("pk"))
    Recipient.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=WorkState.INTERRUPTED, outcome="sending"
    )
    assert services.status(mailing)["unknown"] == 3
    with pytest.raises(PermissionDenied):
        services.resolve_unknown(mailing, vera, [rows[0].pk], resend=False)
    assert services.resolve_unknown(mailing, bob, [rows[0].pk], resend=False) == 1
    assert services.resolve_unknown(mailing, bob, [rows[1].pk], resend=True) == 1
    status = services.status(mailing)
    assert (status["unknown"], status["sent"], status["queued"]) == (1, 1, 1)
    entry = AuditEntry.objects.filter(action="mailing.resolve_unknown").order_by("pk").last()
    assert entry is not None and entry.data == {"recipients": 1, "decision": "resend"}
