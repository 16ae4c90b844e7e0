"""The worker's path against a real SMTP server on loopback: sends, faults, opt-out, rate."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import services as contact_services
from pressdesk.contacts.models import ContactList
from pressdesk.mailings import sending, services
from pressdesk.mailings.compose import Composer, Rendered
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list
from pressdesk.work.models import WorkState


def started(org: Organisation, user: User, count: int, **fields: Any) -> Mailing:
    mailing = free_mailing(org, user, static_list(org, "Presse", people(org, count)), **fields)
    return services.start(mailing, user)


def run(mailing: Mailing, **kwargs: Any) -> dict[str, Any]:
    """One wake-up of the mailing, in this process, as a worker runs it."""
    first = Recipient.objects.filter(mailing=mailing).order_by("pk").first()
    assert first is not None
    result = sending.process(first.pk, **kwargs)
    mailing.refresh_from_db()
    return result


def outcomes(mailing: Mailing) -> dict[str, str]:
    return dict(Recipient.objects.filter(mailing=mailing).values_list("address", "outcome"))


def test_every_recipient_gets_one_message(org: Organisation, bob: User, sink: Sink) -> None:
    mailing = started(org, bob, 120, sender_email="presse@acme.fr")
    assert run(mailing)["sent"] == 120
    assert sorted(sink.recipients()) == sorted(f"p{n}@exemple.fr" for n in range(120))
    assert mailing.state == MailingState.SENT and mailing.finished_at is not None
    row = Recipient.objects.get(mailing=mailing, address="p7@exemple.fr")
    assert (row.state, row.outcome) == (WorkState.DONE, "sent")
    assert row.smtp_reply.startswith("250") and row.sent_at is not None
    # The Message-ID stored before the send is the one the server received.
    assert (row.address, row.message_id) in sink.accepted
    status = services.status(mailing)
    assert (status["sent"], status["queued"], status["unknown"], status["failed"]) == (120, 0, 0, 0)
    # A second wake-up finds nothing to do.
    assert run(mailing)["sent"] == 0
    assert len(sink.accepted) == 120


def test_a_refused_address_fails_alone(org: Organisation, bob: User, sink: Sink) -> None:
    sink.refuse("p3@exemple.fr", "P5@exemple.fr")
    mailing = started(org, bob, 10)
    result = run(mailing)
    assert (result["sent"], result["failed"]) == (8, 2)
    found = outcomes(mailing)
    assert found["p3@exemple.fr"] == found["p5@exemple.fr"] == "failed"
    row = Recipient.objects.get(mailing=mailing, address="p3@exemple.fr")
    assert row.state == WorkState.FAILED and row.smtp_reply.startswith("550")
    assert mailing.state == MailingState.SENT and mailing.consecutive_failures == 0
    assert services.status(mailing)["failed"] == 2


def test_421_backs_off_and_then_goes_on(
    org: Organisation, bob: User, sink: Sink, settings: Any
) -> None:
    sink.defer(2)
    mailing = started(org, bob, 5)
    first = run(mailing)
    assert first["deferred"] == 1 and first["stopped"] == "backoff"
    assert mailing.state == MailingState.SENDING
    assert mailing.consecutive_failures == 1 and mailing.backoff_until > timezone.now()
    # The deferred row went back to the queue, untouched.
    assert Recipient.objects.filter(mailing=mailing, state=WorkState.PENDING).count() == 5
    assert Recipient.objects.filter(mailing=mailing, message_id="").count() == 5
    # While backing off, a wake-up sends nothing.
    assert run(mailing)["stopped"] == "backoff"
    # The backoff doubles.
    Mailing.objects.filter(pk=mailing.pk).update(backoff_until=None)
    run(mailing)
    assert mailing.consecutive_failures == 2
    Mailing.objects.filter(pk=mailing.pk).update(backoff_until=None)
    assert run(mailing)["sent"] == 5
    assert mailing.state == MailingState.SENT and mailing.consecutive_failures == 0
    assert len(sink.accepted) == 5


def test_consecutive_failures_pause_the_mailing_with_the_reason(
    org: Organisation, bob: User, sink: Sink, settings: Any
) -> None:
    settings.MAILINGS_PAUSE_AFTER_FAILURES = 3
    sink.defer(100)
    mailing = started(org, bob, 4)
    for _attempt in range(3):
        Mailing.objects.filter(pk=mailing.pk).update(backoff_until=None)
        run(mailing)
    assert mailing.state == MailingState.PAUSED
    assert "3 failures in a row" in mailing.state_reason and "421" in mailing.state_reason
    pause = AuditEntry.objects.get(action="mailing.pause")
    assert pause.actor_label == "pressdesk" and pause.actor is None
    assert run(mailing)["stopped"] == "state"
    # The server recovers; the operator resumes; everyone gets one message.
    sink.defer(0)
    services.resume(mailing, bob)
    assert run(mailing)["sent"] == 4
    assert sorted(sink.recipients()) == [f"p{n}@exemple.fr" for n in range(4)]


def test_a_timeout_backs_off(org: Organisation, bob: User, sink: Sink, settings: Any) -> None:
    settings.EMAIL_URL = f"{sink.url}?timeout=0.3"
    sink.delay = 1.0  # slower than the timeout, at the end of DATA
    mailing = started(org, bob, 3)
    result = run(mailing)
    # The server may have taken the message: unknown, never resent on its own.
    assert result["uncertain"] == 1 and result["stopped"] == "backoff"
    assert services.status(mailing)["unknown"] == 1
    sink.delay = 0
    Mailing.objects.filter(pk=mailing.pk).update(backoff_until=None)
    assert run(mailing)["sent"] == 2
    # Whether the slow one arrived is the server's business: the ledger does not claim either.
    assert len(sink.accepted) in (2, 3)
    status = services.status(mailing)
    assert (status["sent"], status["unknown"]) == (2, 1)
    assert mailing.state == MailingState.SENT


def test_an_objection_during_the_send_stops_the_next_message(
    org: Organisation, bob: User, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailing = started(org, bob, 6)

    class Objecting(Composer):
        def render(self, recipient: Recipient) -> Rendered:
            # While p1's message is being built, p4 objects (another request, same moment).
            if recipient.address == "p1@exemple.fr":
                contact_services.opt_out(org, "P4@exemple.fr", "unsubscribe")
            return super().render(recipient)

    monkeypatch.setattr(sending, "composer_for", Objecting)
    result = run(mailing)
    assert (result["sent"], result["skipped"]) == (5, 1)
    assert "p4@exemple.fr" not in sink.recipients()
    row = Recipient.objects.get(mailing=mailing, address="p4@exemple.fr")
    assert (row.state, row.outcome, row.message_id) == (WorkState.DONE, "skipped", "")


def test_the_per_minute_rate_counts_every_worker(
    org: Organisation, bob: User, sink: Sink, settings: Any
) -> None:
    settings.MAILINGS_RATE_PER_MINUTE = 7
    mailing = started(org, bob, 10)
    result = run(mailing)
    assert (result["sent"], result["stopped"]) == (7, "rate")
    assert len(sink.accepted) == 7
    assert Recipient.objects.filter(mailing=mailing, state=WorkState.PENDING).count() == 3
    # A later wake-up is queued for when the minute allows more.
    from django_tasks_db.models import DBTaskResult

    later = DBTaskResult.objects.filter(
        task_path="pressdesk.mailings.tasks.send_mailing", run_after__gt=timezone.now()
    )
    assert later.exists()
    # A mailing's own, lower, rate wins.
    settings.MAILINGS_RATE_PER_MINUTE = 0
    other = started(org, bob, 4, subject="Autre")
    Mailing.objects.filter(pk=other.pk).update(rate_per_minute=9)
    assert run(other)["sent"] == 2  # 7 of the 9 went out in the last minute


def test_the_pacer_keeps_the_per_second_rate() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = sending.Pacer(4, clock=lambda: now[0], sleep=sleep)
    for _n in range(9):
        pacer.wait()
    assert now[0] == pytest.approx(102.0)  # 9 messages at 4/s: the 9th leaves 2 s after the 1st
    assert sending.Pacer(0, clock=lambda: 0.0, sleep=sleep).gap == 0


def test_cancel_during_a_send_cancels_the_rest(
    org: Organisation, bob: User, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailing = started(org, bob, 30)

    class Cancelling(Composer):
        def render(self, recipient: Recipient) -> Rendered:
            if recipient.address == "p4@exemple.fr":
                services.cancel(Mailing.objects.get(pk=mailing.pk), bob)
            return super().render(recipient)

    monkeypatch.setattr(sending, "composer_for", Cancelling)
    result = run(mailing)
    # The rows already claimed finish their current ten at most; the rest are cancelled.
    assert result["stopped"] == "state" and result["sent"] <= 10
    assert len(sink.accepted) == result["sent"]
    status = services.status(mailing)
    assert status["sent"] + status["cancelled"] == 30 and status["queued"] == 0
    assert mailing.state == MailingState.CANCELLED


def test_an_empty_mailing_is_sent_at_once(org: Organisation, bob: User, sink: Sink) -> None:
    mailing = free_mailing(org, bob, ContactList.objects.create(org=org, name="Vide"))
    services.start(mailing, bob)
    assert mailing.state == MailingState.SENT


def test_it_marks_a_row_sending_before_its_data_and_never_leaves_one_sending_while_pacing(
    org: Organisation, bob: User, sink: Sink, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailing = started(org, bob, 12)
    seen: list[tuple[str, list[str]]] = []
    real = sending.transports.transport

    def sending_rows() -> list[str]:
        return sorted(
            Recipient.objects.filter(mailing=mailing, outcome="sending").values_list(
                "address", flat=True
            )
        )

    class Watching:
        def __init__(self) -> None:
            self.inner = real()

        def send(self, data: bytes, sender: str, recipient: str, *, smtputf8: bool = False) -> str:
            seen.append((recipient, sending_rows()))
            return self.inner.send(data, sender, recipient, smtputf8=smtputf8)

        def close(self) -> None:
            self.inner.close()

    now = [0.0]
    asleep: list[list[str]] = []

    def sleep(seconds: float) -> None:
        asleep.append(sending_rows())
        now[0] += seconds

    settings.MAILINGS_RATE_PER_SECOND = 5
    monkeypatch.setattr(sending.transports, "transport", Watching)
    monkeypatch.setattr(
        sending, "_pacers", {5.0: sending.Pacer(5, clock=lambda: now[0], sleep=sleep)}
    )
    assert run(mailing)["sent"] == 12
    # When its DATA leaves, a row is "sending", and it alone: the row before it was marked sent
    # by the same commit.
    assert seen == [(recipient, [recipient]) for recipient, _rows in seen]
    assert len(seen) == 12 and len(sink.accepted) == 12
    # The pacer slept between messages with no row left "sending" meanwhile.
    assert len(asleep) == 11 and all(rows == [] for rows in asleep)
    assert set(outcomes(mailing).values()) == {"sent"}
