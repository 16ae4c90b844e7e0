"""record_incoming: bounces, automatic replies and replies land once, on the right row and org."""

from __future__ import annotations

from datetime import date

import pytest

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import Contact, ContactEmail, FieldChange, Interaction
from pressdesk.contacts.models.contacts import InteractionKind
from pressdesk.contacts.tests import sample
from pressdesk.mailings import corrections
from pressdesk.mailings.inbound import owner, record_incoming
from pressdesk.mailings.models import ContactCorrection, MailEvent, Recipient
from pressdesk.mailings.tests.inbound_sample import (
    fixture,
    quoting,
    reply,
    sent_mailing,
    with_headers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(org: Organisation) -> Contact:
    return sample.contact(
        org, "Claire", "Dubois", emails=["Claire.Dubois@example.net"], at=sample.outlet(org)
    )


@pytest.fixture
def marc(org: Organisation) -> Contact:
    return sample.contact(org, "Marc", "Petit", emails=["marc.petit@example.org"])


@pytest.fixture
def elise(org: Organisation) -> Contact:
    return sample.contact(org, "Élise", "Moreau", emails=["elise.moreau@quotidien.example"])


def row(contact: Contact) -> Recipient:
    return Recipient.objects.get(contact=contact)


def test_a_hard_bounce_marks_the_row_the_address_and_proposes_a_correction(
    org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    event = record_incoming(org, fixture("dsn_hard_511.eml"))
    assert event is not None and event.kind == "bounce"
    r = row(claire)
    assert r.bounce == "hard" and r.bounced_at is not None
    assert "User unknown" in r.bounce_reason
    assert ContactEmail.objects.get(contact=claire).bounced_at is not None
    proposal = ContactCorrection.objects.get(contact=claire)
    assert (proposal.kind, proposal.old_value) == ("dead_address", "Claire.Dubois@example.net")
    entry = Interaction.objects.get(contact=claire)
    assert entry.object_type == "mailings.mailing" and "Hard bounce" in entry.summary


def test_reading_the_same_message_twice_records_it_once(org: Organisation, claire: Contact) -> None:
    sent_mailing(org, [claire])
    raw = with_headers(fixture("dsn_hard_511.eml"), Message_ID="<bounce-1@mx.example.net>")
    first = record_incoming(org, raw)
    again = record_incoming(org, raw)
    assert first is not None and again == first
    assert MailEvent.objects.count() == 1
    assert ContactCorrection.objects.count() == 1
    assert Interaction.objects.filter(contact=claire).count() == 1


def test_a_message_without_message_id_is_still_recorded_once(
    org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    record_incoming(org, fixture("dsn_hard_511.eml"))
    record_incoming(org, fixture("dsn_hard_511.eml"))
    assert MailEvent.objects.get().source_id.startswith("sha256:")


def test_a_soft_bounce_does_not_touch_the_contact(org: Organisation, marc: Contact) -> None:
    sent_mailing(org, [marc])
    event = record_incoming(org, fixture("dsn_soft_522.eml"))
    assert event is not None
    assert row(marc).bounce == "soft"
    assert ContactEmail.objects.get(contact=marc).bounced_at is None
    assert not ContactCorrection.objects.exists()


def test_a_later_soft_bounce_keeps_a_hard_one_hard(org: Organisation, claire: Contact) -> None:
    sent_mailing(org, [claire])
    record_incoming(org, fixture("dsn_hard_511.eml"))
    soft = fixture("dsn_soft_522.eml").replace(
        b"marc.petit@example.org", b"claire.dubois@example.net"
    )
    record_incoming(org, soft)
    assert row(claire).bounce == "hard"


def test_a_bounce_is_matched_by_the_quoted_message_id(org: Organisation, claire: Contact) -> None:
    older = sent_mailing(org, [claire], "Ancien")
    first = Recipient.objects.get(mailing=older)
    sent_mailing(org, [sample.contact(org, "Autre", "Claire", emails=["x@example.net"])])
    # A newer mailing to the same address: the quoted Message-ID, not the date, decides.
    Recipient.objects.filter(pk=first.pk).update(sent_at=first.sent_at.replace(year=2026, month=10))
    newer = sent_mailing(org, [claire], "Nouveau")
    event = record_incoming(org, quoting(fixture("dsn_hard_511.eml"), first))
    assert event is not None and event.recipient_id == first.pk
    assert Recipient.objects.get(mailing=newer).bounce == ""


def test_an_auto_reply_sets_the_return_date_and_proposes_the_new_address(
    org: Organisation, elise: Contact
) -> None:
    sent_mailing(org, [elise])
    event = record_incoming(org, fixture("ooo_fr.eml"))
    assert event is not None and event.kind == "auto_reply"
    assert row(elise).away_until == date(2027, 1, 12)
    elise.refresh_from_db()
    assert elise.out_of_office_until == date(2027, 1, 12)
    proposal = ContactCorrection.objects.get(contact=elise)
    assert (proposal.kind, proposal.new_value) == ("new_address", "elise.moreau@hebdo.example")
    assert row(elise).bounce == ""


def test_a_reply_is_linked_to_the_mailing_and_counts_as_activity(
    org: Organisation, claire: Contact
) -> None:
    mailing = sent_mailing(org, [claire])
    event = record_incoming(org, reply(row(claire)))
    assert event is not None and event.kind == "reply" and event.mailing == mailing
    assert row(claire).replied_at is not None
    entry = Interaction.objects.get(contact=claire)
    assert entry.kind == InteractionKind.EMAIL_REPLY
    assert (entry.object_type, entry.object_id) == ("mailings.mailing", str(mailing.pk))
    assert "Lancement" in entry.summary and "volontiers" in entry.summary
    assert "Bonjour" not in entry.summary  # the quoted original is left out
    claire.refresh_from_db()
    assert claire.last_active_at is not None


def test_a_mail_that_answers_nothing_of_ours_is_not_recorded(
    org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    assert record_incoming(org, fixture("not_bounce.eml")) is None
    assert not MailEvent.objects.exists()


def test_another_organisations_messages_are_never_attached(
    org: Organisation, other_org: Organisation, claire: Contact
) -> None:
    ours = sent_mailing(org, [claire])
    theirs_contact = sample.contact(
        other_org, "Claire", "Dubois", emails=["claire.dubois@example.net"]
    )
    theirs = sent_mailing(other_org, [theirs_contact])
    their_row = Recipient.objects.get(mailing=theirs)
    # Their reply, and their bounce quoting their Message-ID, are not ours.
    assert record_incoming(org, reply(their_row)) is None
    assert record_incoming(org, quoting(fixture("dsn_hard_511.eml"), their_row)) is None
    assert not MailEvent.objects.for_org(org).exists()
    assert Recipient.objects.get(mailing=ours).bounce == ""
    # The shared mailbox finds whose it is.
    assert owner(reply(their_row)) == other_org
    # By address alone, two organisations mailed it: nobody's.
    assert owner(fixture("dsn_hard_511.eml")) is None


def test_accepting_a_new_address_changes_the_contact_with_provenance(
    org: Organisation, elise: Contact, bob: User
) -> None:
    sent_mailing(org, [elise])
    record_incoming(org, fixture("ooo_fr.eml"))
    proposal = ContactCorrection.objects.get()
    corrections.accept(proposal, bob)
    assert [e.email for e in elise.emails.all()] == ["elise.moreau@hebdo.example"]
    change = FieldChange.objects.get(contact=elise, field="emails")
    assert change.source_kind == "reply" and "Lancement" in change.source_label
    assert change.changed_by == bob
    assert AuditEntry.objects.get(action="mailings.correction.accept").data["kind"] == "new_address"
    with pytest.raises(corrections.AlreadyDecided):
        corrections.accept(proposal, bob)
    with pytest.raises(corrections.AlreadyDecided):
        corrections.reject(proposal, bob)


def test_accepting_left_the_outlet_ends_the_position(
    org: Organisation, claire: Contact, bob: User
) -> None:
    sent_mailing(org, [claire])
    raw = fixture("dsn_hard_511.eml").replace(
        b"I'm sorry to have", b"Claire Dubois has left the company.\nI'm sorry to have"
    )
    record_incoming(org, raw)
    proposal = ContactCorrection.objects.get()
    assert proposal.kind == "left_outlet"
    corrections.accept(proposal, bob)
    assert not claire.positions.filter(end_date=None).exists()
    assert not claire.emails.exists()


def test_rejecting_leaves_the_contact_alone(
    org: Organisation, claire: Contact, bob: User, vera: User
) -> None:
    sent_mailing(org, [claire])
    record_incoming(org, fixture("dsn_hard_511.eml"))
    proposal = ContactCorrection.objects.get()
    with pytest.raises(corrections.MailingError):
        corrections.reject(proposal, vera)
    corrections.reject(proposal, bob)
    proposal.refresh_from_db()
    assert proposal.state == "rejected" and proposal.decided_by == bob
    assert claire.emails.count() == 1
    assert not FieldChange.objects.filter(contact=claire, field="emails").exists()


def test_an_auto_reply_saying_the_person_left_proposes_so(
    org: Organisation, elise: Contact
) -> None:
    sent_mailing(org, [elise])
    raw = (
        b"From: elise.moreau@quotidien.example\r\nTo: press@acme.example\r\n"
        b"Subject: Absence\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo-2@q.example>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Elise Moreau ne fait plus partie de la r\xc3\xa9daction.\r\n"
    )
    event = record_incoming(org, raw)
    assert event is not None and event.kind == "auto_reply"
    assert ContactCorrection.objects.get().kind == "left_outlet"
    assert row(elise).away_until is not None  # paused a week, no date given
