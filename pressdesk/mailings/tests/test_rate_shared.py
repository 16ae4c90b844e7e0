"""MAILINGS_RATE_PER_MINUTE is one count for both of the engine's paths: a mailing's wake-up and
the outbox's GDPR mails, each seeing what the other sent (or holds claimed to send) in the last
minute. A real SMTP server counts what left; the minute passes by moving the clock, not waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr
from pressdesk.contacts.models import NoticeSend
from pressdesk.contacts.sends import process as send_notices
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.mailings import outbox, sending, services
from pressdesk.mailings import transport as transports
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list
from pressdesk.work.models import WorkState

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PER_MINUTE = 5


@pytest.fixture
def clock() -> Iterator[Any]:
    """The wall clock, standing still until a test moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def limited(settings: Any) -> None:
    settings.MAILINGS_RATE_PER_MINUTE = PER_MINUTE
    settings.MAILINGS_RATE_PER_SECOND = 0


def notices(org: Organisation, user: User, count: int) -> None:
    for n in range(count):
        person(org, f"Nora{n}", "Notice", emails=[f"n{n}@exemple.fr"], source_kind="import")
    gdpr.queue_notices(org, by=user)


def notice_wake_up() -> dict[str, int]:
    first = NoticeSend.objects.order_by("pk").values_list("pk", flat=True).first()
    assert first is not None
    return send_notices(first)


def mailing(org: Organisation, user: User, count: int) -> Mailing:
    audience = static_list(org, "Presse", people(org, count))
    return services.start(free_mailing(org, user, audience), user)


def mailing_wake_up(found: Mailing) -> dict[str, Any]:
    first = Recipient.objects.filter(mailing=found).order_by("pk").values_list("pk", flat=True)
    return sending.process(first[0])


def test_notices_then_a_mailing_share_the_minute(
    org: Organisation, bob: User, sink: Sink, clock: Any, limited: None
) -> None:
    notices(org, bob, 3)
    found = mailing(org, bob, 4)
    assert notice_wake_up()["sent"] == 3
    result = mailing_wake_up(found)
    assert (result["sent"], result["stopped"]) == (2, "rate")
    assert len(sink.accepted) == PER_MINUTE
    assert sending.minute_allowance(PER_MINUTE, START) == 0
    clock.shift(timedelta(seconds=61))
    assert mailing_wake_up(found)["sent"] == 2
    assert len(sink.accepted) == 7


def test_a_mailing_then_notices_share_the_minute(
    org: Organisation, bob: User, sink: Sink, clock: Any, limited: None
) -> None:
    found = mailing(org, bob, 4)
    notices(org, bob, 3)
    assert mailing_wake_up(found)["sent"] == 4
    assert outbox.allowance() == 1
    assert notice_wake_up()["sent"] == 1
    assert notice_wake_up()["sent"] == 0
    assert len(sink.accepted) == PER_MINUTE
    clock.shift(timedelta(seconds=61))
    assert notice_wake_up()["sent"] == 2
    assert sorted(r for r in sink.recipients() if r.startswith("n")) == [
        "n0@exemple.fr",
        "n1@exemple.fr",
        "n2@exemple.fr",
    ]


def test_a_notice_batch_during_a_mailing_batch_stays_within_the_minute(
    org: Organisation, bob: User, sink: Sink, clock: Any, limited: None, monkeypatch: Any
) -> None:
    # A second worker's notice batch starts while the mailing's batch is between two messages:
    # the rows the mailing holds claimed are that minute's, even before they are marked sent.
    found = mailing(org, bob, 7)
    notices(org, bob, 3)
    real = transports.SmtpTransport.send
    during: list[dict[str, int]] = []

    def send(self: Any, data: bytes, sender: str, recipient: str, **options: Any) -> str:
        reply = real(self, data, sender, recipient, **options)
        if recipient.startswith("p") and not during:
            during.append(notice_wake_up())
        return reply

    monkeypatch.setattr(transports.SmtpTransport, "send", send)
    result = mailing_wake_up(found)
    assert during == [{"sent": 0, "skipped": 0, "failed": 0}]
    assert (result["sent"], result["stopped"]) == (PER_MINUTE, "rate")
    assert len(sink.accepted) == PER_MINUTE
    assert not NoticeSend.objects.exclude(state=WorkState.PENDING).exists()
    clock.shift(timedelta(seconds=61))
    # The next minute: whoever asks first takes what is left of it.
    assert notice_wake_up()["sent"] == 3
    assert mailing_wake_up(found)["sent"] == 2
    assert len(sink.accepted) == 10


def test_rows_another_worker_holds_claimed_count_against_the_minute(
    org: Organisation, bob: User, clock: Any
) -> None:
    found = mailing(org, bob, 4)
    assert sending.sent_last_minute(START) == 0
    Recipient.objects.filter(mailing=found).update(
        state=WorkState.CLAIMED, claimed_by="other-worker"
    )
    assert sending.sent_last_minute(START) == 4
    assert sending.minute_allowance(PER_MINUTE, START) == 1
    assert sending.minute_allowance(0, START) is None


def test_it_counts_and_claims_under_one_lock(
    org: Organisation, bob: User, limited: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two workers counting the minute at the same moment would both spend its allowance: while
    # one counts and claims, another worker's connection cannot take the rate lock.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's advisory lock; SQLite's IMMEDIATE transaction is its own")
    found = mailing(org, bob, 2)
    seen: list[bool] = []
    counted = sending.sent_last_minute

    def counting(now: datetime) -> int:
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [sending.RATE_LOCK])
                seen.append(cursor.fetchone()[0])
        finally:
            other.close()
        return counted(now)

    monkeypatch.setattr(sending, "sent_last_minute", counting)
    rows = Recipient.objects.for_org(org).filter(mailing=found)
    batch, limit = sending.claim_at_rate(rows, 10, PER_MINUTE, timezone.now())
    assert (len(batch), limit, seen) == (2, PER_MINUTE, [False])
