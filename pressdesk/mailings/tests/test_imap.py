"""Reading replies from a real Dovecot: recorded once, marked only after the commit, never
attached to the wrong organisation."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk import scheduler
from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample
from pressdesk.mailings import imap, inbound
from pressdesk.mailings.imap import Mailbox
from pressdesk.mailings.models import MailEvent, Recipient
from pressdesk.mailings.tests.dovecot import Dovecot, dovecot  # noqa: F401
from pressdesk.mailings.tests.inbound_sample import fixture, reply, sent_mailing, with_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def claire(org: Organisation) -> Contact:
    return sample.contact(org, "Claire", "Dubois", emails=["claire.dubois@example.net"])


@pytest.fixture
def jeanne(org: Organisation) -> Contact:
    return sample.contact(org, "Jeanne", "Faure", emails=["jeanne.faure@radio.example"])


@pytest.fixture
def mailbox(dovecot: Dovecot, settings: Any) -> Dovecot:  # noqa: F811
    settings.REPLIES_IMAP_URL = dovecot.url
    settings.REPLIES_IMAP_PROCESSED = ""
    return dovecot


def bounce() -> bytes:
    return with_headers(fixture("dsn_hard_511.eml"), Message_ID="<b1@mx.example.net>")


def test_it_records_each_message_and_marks_it_read(
    mailbox: Dovecot, org: Organisation, claire: Contact, jeanne: Contact
) -> None:
    sent_mailing(org, [claire, jeanne])
    their_reply = reply(Recipient.objects.get(contact=jeanne))
    mailbox.deliver(bounce(), their_reply, fixture("not_bounce.eml"))
    result = imap.fetch_replies()
    assert result.as_dict() == {"fetched": 3, "recorded": 2, "unmatched": 1, "failed": 0}
    assert sorted(MailEvent.objects.values_list("kind", flat=True)) == ["bounce", "reply"]
    flags = mailbox.flags()
    assert "\\Seen" in flags[0] and "\\Seen" in flags[1]
    # The stranger's mail is left unread for a person, and not read again.
    assert "\\Seen" not in flags[2] and imap.UNMATCHED in flags[2]
    assert imap.fetch_replies().fetched == 0


def test_a_crash_before_marking_reads_again_but_records_once(
    mailbox: Dovecot, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    mailbox.deliver(bounce())
    # As if a previous poll committed, then died before flagging the message.
    inbound.record_incoming(org, bounce())
    result = imap.fetch_replies()
    assert (result.fetched, result.recorded) == (1, 1)
    assert MailEvent.objects.count() == 1
    assert "\\Seen" in mailbox.flags()[0]


def test_a_failure_leaves_the_message_unread_for_the_next_poll(
    mailbox: Dovecot, org: Organisation, claire: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent_mailing(org, [claire])
    mailbox.deliver(bounce())
    real = inbound.record_incoming

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(inbound, "record_incoming", broken)
    assert imap.fetch_replies().failed == 1
    assert "\\Seen" not in mailbox.flags()[0]
    monkeypatch.setattr(inbound, "record_incoming", real)
    assert imap.fetch_replies().recorded == 1
    assert MailEvent.objects.count() == 1


def test_it_moves_recorded_messages_to_the_processed_folder(
    mailbox: Dovecot, org: Organisation, claire: Contact, settings: Any
) -> None:
    settings.REPLIES_IMAP_PROCESSED = "Pressdesk/Processed"
    sent_mailing(org, [claire])
    mailbox.deliver(bounce(), fixture("not_bounce.eml"))
    assert imap.fetch_replies().recorded == 1
    assert len(mailbox.flags()) == 1  # the unmatched one stays in the inbox
    assert len(mailbox.flags("Pressdesk.Processed")) == 1


def test_each_message_goes_to_the_organisation_that_sent_it(
    mailbox: Dovecot, org: Organisation, other_org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    theirs = sample.contact(other_org, "Zoé", "Autre", emails=["zoe@autre.example"])
    sent_mailing(other_org, [theirs])
    mailbox.deliver(reply(Recipient.objects.get(contact=theirs), msg_id="<r2@autre.example>"))
    assert imap.fetch_replies().recorded == 1
    event = MailEvent.objects.get()
    assert event.org == other_org and event.contact == theirs


def test_the_command_prints_the_counts(
    mailbox: Dovecot, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    mailbox.deliver(bounce())
    out = io.StringIO()
    call_command("mailings", "fetch-replies", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"fetched": 1, "recorded": 1, "unmatched": 0, "failed": 0}
    out = io.StringIO()
    call_command("mailings", "fetch-replies", stdout=out)
    assert "Messages read: 0" in out.getvalue()


def test_the_command_says_when_the_mailbox_cannot_be_read(
    dovecot: Dovecot,  # noqa: F811
    settings: Any,
) -> None:
    settings.REPLIES_IMAP_URL = dovecot.url.replace("s3cret-pass", "wrong")
    with pytest.raises(CommandError, match="Cannot read the replies mailbox"):
        call_command("mailings", "fetch-replies", stdout=io.StringIO())
    settings.REPLIES_IMAP_URL = ""
    with pytest.raises(CommandError, match="REPLIES_IMAP_URL is not set"):
        call_command("mailings", "fetch-replies", stdout=io.StringIO())


def test_the_url_is_read_or_refused_clearly() -> None:
    box = Mailbox.from_url("imaps://presse%40acme.fr:p%40ss@imap.acme.fr/Replies")
    assert (box.user, box.password, box.host, box.port, box.folder, box.tls) == (
        "presse@acme.fr",
        "p@ss",
        "imap.acme.fr",
        993,
        "Replies",
        True,
    )
    assert Mailbox.from_url("imap://u:p@h").port == 143
    with pytest.raises(ImproperlyConfigured, match="scheme"):
        Mailbox.from_url("pop3://u:p@h")
    with pytest.raises(ImproperlyConfigured, match="user and a host"):
        Mailbox.from_url("imap://h")


def test_the_poll_is_a_periodic_job_that_waits_for_a_mailbox(settings: Any) -> None:
    assert "mailings.fetch_replies" in scheduler.JOBS
    settings.REPLIES_IMAP_URL = ""
    assert imap.poll() is None
