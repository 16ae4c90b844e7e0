"""The GDPR bulk sends go through the engine's outbox: a real SMTP server on loopback that refuses,
defers and logs what it accepted (pressdesk/mailings/testing.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import gdpr, services
from pressdesk.contacts.models import Contact, NoticeSend
from pressdesk.contacts.sends import process
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.mailings import outbox
from pressdesk.mailings.models import OutboxStream
from pressdesk.mailings.testing import Sink

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(org: Organisation) -> list[Contact]:
    return [
        person(org, "Marie", "Dupont", emails=["marie@example.fr"], source_kind="import"),
        person(org, "Paul", "Martin", emails=["paul@example.fr"], source_kind="import"),
        person(org, "Zoé", "Leroy", emails=["zoe@example.fr"], source_kind="import"),
    ]


def first_row() -> int:
    return int(NoticeSend.objects.order_by("pk").values_list("pk", flat=True)[0])


def rows() -> dict[str, tuple[str, str]]:
    return {
        r.contact.emails.first().email: (r.state, r.outcome)
        for r in NoticeSend.objects.select_related("contact")
    }


def stream(org: Organisation) -> OutboxStream:
    return OutboxStream.objects.for_org(org).get(name="contacts.notice")


def end_backoff(org: Organisation) -> None:
    OutboxStream.objects.for_org(org).update(backoff_until=timezone.now() - timedelta(seconds=1))


def test_it_sends_the_notices_through_the_engine_with_their_message_ids(
    org: Organisation, bob: User, imported: Any, sink: Sink
) -> None:
    gdpr.queue_notices(org, by=bob)
    assert process(first_row()) == {"sent": 3, "skipped": 0, "failed": 0}
    assert sorted(sink.recipients()) == ["marie@example.fr", "paul@example.fr", "zoe@example.fr"]
    assert mail.outbox == []  # the engine's transport, not Django's backend
    stored = dict(NoticeSend.objects.values_list("contact__first_name", "message_id"))
    seen = {rcpt: mid for rcpt, mid in sink.accepted}
    assert stored["Marie"] and stored["Marie"] == seen["marie@example.fr"]
    assert len(set(stored.values())) == 3
    assert Contact.objects.filter(notice_sent_at=None).count() == 0


def test_a_421_puts_the_row_back_and_backs_the_stream_off(
    org: Organisation, bob: User, imported: Any, sink: Sink
) -> None:
    gdpr.queue_notices(org, by=bob)
    before = DBTaskResult.objects.count()
    sink.defer(1)
    outcome = process(first_row())
    assert outcome == {"sent": 0, "skipped": 0, "failed": 0, "deferred": 1}
    assert sink.recipients() == []
    # Nothing left, nothing unknown: every row waits again, without a Message-ID.
    assert set(rows().values()) == {("pending", "")}
    assert set(NoticeSend.objects.values_list("message_id", flat=True)) == {""}
    state = stream(org)
    assert state.consecutive_failures == 1
    assert state.backoff_until is not None and state.backoff_until > timezone.now()
    # A wake-up waits for the end of the backoff; one that comes earlier sends nothing.
    later = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == before + 1
    assert later is not None and later.run_after is not None
    assert abs((later.run_after - state.backoff_until).total_seconds()) < 1
    assert process(first_row()) == {"sent": 0, "skipped": 0, "failed": 0}
    assert sink.recipients() == []

    end_backoff(org)
    assert process(first_row())["sent"] == 3
    assert sorted(sink.recipients()) == ["marie@example.fr", "paul@example.fr", "zoe@example.fr"]
    assert stream(org).consecutive_failures == 0


def test_a_5xx_fails_that_notice_and_the_others_go_on(
    org: Organisation, bob: User, imported: Any, sink: Sink
) -> None:
    sink.refuse("paul@example.fr")
    gdpr.queue_notices(org, by=bob)
    assert process(first_row()) == {"sent": 2, "skipped": 0, "failed": 1}
    assert sorted(sink.recipients()) == ["marie@example.fr", "zoe@example.fr"]
    assert rows()["paul@example.fr"] == ("failed", "failed")
    refused = NoticeSend.objects.get(contact__first_name="Paul")
    assert refused.error.startswith("550")
    assert Contact.objects.get(first_name="Paul").notice_sent_at is None
    assert stream(org).consecutive_failures == 0  # the server works: no backoff
    audit = AuditEntry.objects.get(action="contact.notice_sent")
    assert audit.data == {"count": 2, "skipped": 0, "failed": 1, "bulk": True}


def test_it_pauses_after_failures_in_a_row_and_a_director_resumes_it(
    org: Organisation, bob: User, imported: Any, sink: Sink, settings: Any, as_alice: Client
) -> None:
    settings.MAILINGS_PAUSE_AFTER_FAILURES = 2
    gdpr.queue_notices(org, by=bob)
    sink.defer(10)
    process(first_row())
    end_backoff(org)
    process(first_row())
    state = stream(org)
    assert state.paused_at is not None
    assert "Paused after 2 failures in a row: 421" in state.paused_reason
    end_backoff(org)
    assert process(first_row()) == {"sent": 0, "skipped": 0, "failed": 0}  # paused: nothing

    page = as_alice.get(f"/o/{org.slug}/work/").content.decode()
    assert "Sends paused after failures" in page
    assert "Paused after 2 failures in a row: 421" in page
    sink.defer(0)
    r = as_alice.post(f"/o/{org.slug}/mailings/outbox/contacts.notice/resume/")
    assert r.status_code == 302
    assert stream(org).paused_at is None
    assert AuditEntry.objects.filter(action="mailings.outbox_resume").count() == 1
    assert process(first_row())["sent"] == 3
    assert "Sends paused" not in as_alice.get(f"/o/{org.slug}/work/").content.decode()


def test_a_member_who_does_not_manage_the_team_may_not_resume(
    org: Organisation, as_bob: Client
) -> None:
    assert as_bob.post(f"/o/{org.slug}/mailings/outbox/contacts.notice/resume/").status_code == 403


def test_resume_is_a_post_of_a_known_stream_of_ones_own_organisation(
    org: Organisation, as_alice: Client, other_org: Organisation
) -> None:
    base = f"/o/{org.slug}/mailings/outbox/"
    assert as_alice.get(base + "contacts.notice/resume/").status_code == 405
    assert as_alice.post(base + "nothing/resume/").status_code == 404
    other = f"/o/{other_org.slug}/mailings/outbox/contacts.notice/resume/"
    assert as_alice.post(other).status_code == 404
    r = as_alice.post(base + "contacts.notice/resume/", follow=True)
    assert "These sends were not paused." in r.content.decode()


def test_the_per_minute_rate_counts_mailings_and_notices(
    org: Organisation, bob: User, imported: Any, sink: Sink, settings: Any
) -> None:
    settings.MAILINGS_RATE_PER_MINUTE = 2
    gdpr.queue_notices(org, by=bob)
    assert process(first_row())["sent"] == 2
    assert outbox.allowance() == 0
    assert process(first_row())["sent"] == 0  # the third waits for the minute to pass
    assert len(sink.recipients()) == 2
    NoticeSend.objects.update(finished_at=timezone.now() - timedelta(minutes=2))
    assert process(first_row())["sent"] == 1


def test_a_notice_is_owed_to_a_person_who_objected_on_another_address(
    org: Organisation, bob: User, sink: Sink
) -> None:
    # A mailing skips the person (an objection covers all their addresses); the notice, which
    # tells them what is held and how to object, still goes to an address they may be mailed at.
    person(org, "Anne", "Objet", emails=["anne@work.fr", "anne@perso.fr"], source_kind="import")
    services.opt_out(org, "anne@work.fr", "objection")
    gdpr.queue_notices(org, by=bob)
    assert process(first_row())["sent"] == 1
    assert sink.recipients() == ["anne@perso.fr"]


class Killed(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def test_a_worker_killed_after_the_hand_over_leaves_the_notice_unknown_never_resent(
    org: Organisation, bob: User, imported: Any, sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressdesk.work.sweeper import sweep

    gdpr.queue_notices(org, by=bob)
    real = outbox.Outbox.hand_over

    def dies_after_the_250(self: outbox.Outbox, message: Any) -> str:
        real(self, message)
        raise Killed

    monkeypatch.setattr(outbox.Outbox, "hand_over", dies_after_the_250)
    with pytest.raises(Killed):
        process(first_row())
    monkeypatch.setattr(outbox.Outbox, "hand_over", real)
    assert sink.recipients() == ["marie@example.fr"]
    marie = NoticeSend.objects.get(contact__first_name="Marie")
    assert (marie.state, marie.outcome) == ("claimed", "sending")
    assert marie.message_id == sink.accepted[0][1]
    # The worker's lease runs out: the sweeper makes the notice in flight unknown, and gives
    # back the two it had not begun.
    NoticeSend.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    sweep()
    assert rows() == {
        "marie@example.fr": ("interrupted", "sending"),
        "paul@example.fr": ("pending", ""),
        "zoe@example.fr": ("pending", ""),
    }
    process(first_row())
    assert sorted(sink.recipients()) == ["marie@example.fr", "paul@example.fr", "zoe@example.fr"]
