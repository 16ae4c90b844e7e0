"""Follow-up steps: who they go to, and the periodic job that sends them through the engine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample
from pressdesk.mailings import followups
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.inbound import record_incoming
from pressdesk.mailings.models import FollowUp, Mailing, Recipient
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests.inbound_sample import fixture, reply, sent_mailing

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org: Organisation) -> list[Contact]:
    return [
        sample.contact(org, "Claire", "Dubois", emails=["claire.dubois@example.net"]),
        sample.contact(org, "Élise", "Moreau", emails=["elise.moreau@quotidien.example"]),
        sample.contact(org, "Jeanne", "Faure", emails=["jeanne.faure@radio.example"]),
        sample.contact(org, "Marc", "Petit", emails=["marc.petit@example.org"]),
    ]


@pytest.fixture
def mailing(org: Organisation, people: list[Contact]) -> Mailing:
    found = sent_mailing(org, people)
    Mailing.objects.filter(pk=found.pk).update(started_at=timezone.now() - timedelta(days=4))
    found.refresh_from_db()
    return found


def step(mailing: Mailing, user: User, days: int = 3) -> FollowUp:
    return followups.add_step(
        mailing, user, after_days=days, subject="Relance", body="Avez-vous pu lire ?"
    )


def test_it_goes_to_those_who_have_not_answered(
    mailing: Mailing, people: list[Contact], bob: User, org: Organisation
) -> None:
    _claire, _elise, jeanne, marc = people
    record_incoming(org, fixture("dsn_hard_511.eml"))  # Claire bounced
    record_incoming(org, fixture("ooo_fr.eml"))  # Élise is away until 12 January
    record_incoming(org, reply(Recipient.objects.get(contact=jeanne)))  # Jeanne replied
    who = followups.audience(step(mailing, bob))
    assert who.contacts == [marc.pk]
    assert (who.replied, who.away, who.bounced, who.unsubscribed) == (1, 1, 1, 0)


def test_an_unsubscribed_person_is_left_out(
    mailing: Mailing, people: list[Contact], bob: User
) -> None:
    Recipient.objects.filter(contact=people[3]).update(unsubscribed_at=timezone.now())
    who = followups.audience(step(mailing, bob))
    assert people[3].pk not in who.contacts and who.unsubscribed == 1


def test_the_return_date_ends_the_pause(
    mailing: Mailing, people: list[Contact], bob: User, org: Organisation
) -> None:
    record_incoming(org, fixture("ooo_fr.eml"))
    later = step(mailing, bob)
    assert people[1].pk not in followups.audience(later).contacts
    back = Recipient.objects.get(contact=people[1]).away_until
    assert back is not None
    assert people[1].pk in followups.audience(later, today=back + timedelta(days=1)).contacts


def test_a_reply_to_an_earlier_follow_up_stops_the_rest(
    mailing: Mailing, people: list[Contact], bob: User, org: Organisation
) -> None:
    first = step(mailing, bob, 3)
    child = sent_mailing(org, [people[3]], "Relance")
    FollowUp.objects.filter(pk=first.pk).update(sent_as=child)
    record_incoming(org, reply(Recipient.objects.get(mailing=child), msg_id="<r9@x.example>"))
    assert people[3].pk not in followups.audience(step(mailing, bob, 7)).contacts


def test_steps_are_checked(mailing: Mailing, bob: User, vera: User) -> None:
    with pytest.raises(MailingError, match="between 1 and 60"):
        followups.add_step(mailing, bob, after_days=0, subject="R", body="B")
    with pytest.raises(MailingError, match="line break"):
        followups.add_step(mailing, bob, after_days=2, subject="R\r\nBcc: x", body="B")
    with pytest.raises(PermissionDenied):
        step(mailing, vera)
    for days in range(1, 6):
        step(mailing, bob, days)
    with pytest.raises(MailingError, match="at most 5"):
        step(mailing, bob, 9)


def test_a_step_is_due_n_days_after_the_mailing_started(mailing: Mailing, bob: User) -> None:
    found = step(mailing, bob, 3)
    assert mailing.started_at is not None
    assert found.due_at == mailing.started_at + timedelta(days=3)
    draft = Mailing.objects.create(org=mailing.org, kind="free", subject="Brouillon")
    assert step(draft, bob).due_at is None


def test_the_job_sends_due_steps_through_the_engine_once(
    org: Organisation, bob: User, sink: Sink
) -> None:
    """A real send to a loopback SMTP server, a real reply and out-of-office, then the step."""
    from email import message_from_bytes
    from email.utils import parseaddr

    from pressdesk.mailings import sending, services

    marc = sample.contact(org, "Marc", "Petit", emails=["marc.petit@example.org"])
    jeanne = sample.contact(org, "Jeanne", "Faure", emails=["jeanne.faure@radio.example"])
    elise = sample.contact(org, "Élise", "Moreau", emails=["elise.moreau@quotidien.example"])
    mailing = services.create_mailing(
        org, bob, kind="pitch", subject="Lancement", body="Bonjour", contacts=[marc, jeanne, elise]
    )
    services.start(mailing, bob)
    sending.process(Recipient.objects.filter(mailing=mailing).first().pk)
    sent = {
        parseaddr(message_from_bytes(raw)["To"])[1]: message_from_bytes(raw)["Message-ID"]
        for raw in sink.messages
    }
    assert len(sent) == 3
    # Jeanne replies to the very message she got; Élise's out-of-office answers hers.
    row = Recipient.objects.get(contact=jeanne)
    assert row.message_id == sent["jeanne.faure@radio.example"]
    assert record_incoming(org, reply(row)) is not None
    ooo = fixture("ooo_fr.eml")
    ooo = f"In-Reply-To: {sent['elise.moreau@quotidien.example']}\r\n".encode() + ooo
    assert record_incoming(org, ooo) is not None
    step(mailing, bob, 3)

    assert followups.create_due() == 0  # not yet due
    later = timezone.now() + timedelta(days=3, minutes=1)
    assert followups.create_due(later) == 1
    assert followups.create_due(later) == 0  # once
    child = FollowUp.objects.get().sent_as
    assert child is not None and child.state == "sending" and child.subject == "Relance"
    assert [r.contact for r in Recipient.objects.filter(mailing=child)] == [marc]
    sending.process(Recipient.objects.get(mailing=child).pk)
    assert sink.recipients().count("marc.petit@example.org") == 2
    assert sink.recipients().count("jeanne.faure@radio.example") == 1


def test_a_reply_stops_a_follow_up_still_queued(
    mailing: Mailing, people: list[Contact], bob: User, org: Organisation
) -> None:
    from pressdesk.work.models import WorkState

    first = step(mailing, bob, 3)
    child = sent_mailing(org, people[2:], "Relance")
    Recipient.objects.filter(mailing=child).update(state=WorkState.PENDING, outcome="")
    # Marc's row is already with a worker: it is left alone.
    Recipient.objects.filter(mailing=child, contact=people[3]).update(state=WorkState.CLAIMED)
    FollowUp.objects.filter(pk=first.pk).update(sent_as=child)
    record_incoming(org, reply(Recipient.objects.get(mailing=mailing, contact=people[2])))
    record_incoming(
        org, reply(Recipient.objects.get(mailing=mailing, contact=people[3]), msg_id="<r3@x>")
    )
    jeanne = Recipient.objects.get(mailing=child, contact=people[2])
    assert (jeanne.state, jeanne.outcome, jeanne.smtp_reply) == ("done", "skipped", "replied")
    marc = Recipient.objects.get(mailing=child, contact=people[3])
    assert (marc.state, marc.outcome) == ("claimed", "")
