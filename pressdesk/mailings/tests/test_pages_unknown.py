"""The operator's decision on rows whose fate is unknown: a confirmation naming who is
concerned, then the service."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.ledger import Outcome
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample
from pressdesk.work.models import WorkState


def url(mailing: Mailing) -> str:
    return f"/o/acme/mailings/{mailing.pk}/unknown/"


def unknown_row(mailing: Mailing) -> Recipient:
    return Recipient.objects.for_org(mailing.org_id).get(mailing=mailing, name="Hélène Inconnue")


def test_it_asks_first_and_names_who_is_concerned(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    page = as_bob.post(url(mailing), {"decision": "resend"}).content.decode()
    assert "Hélène Inconnue" in page
    assert "will receive it twice" in page
    assert unknown_row(mailing).state == WorkState.INTERRUPTED


def test_it_counts_them_as_sent_once_confirmed(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    row = unknown_row(mailing)
    r = as_bob.post(
        url(mailing), {"decision": "sent", "confirmed": "1", "recipient": [row.pk]}, follow=True
    )
    assert "1 message counted as sent." in r.content.decode()
    row.refresh_from_db()
    assert (row.state, row.outcome) == (WorkState.DONE, Outcome.SENT)
    assert AuditEntry.objects.filter(action="mailing.resolve_unknown").count() == 1


def test_it_queues_them_again_once_confirmed(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    as_bob.post(url(mailing), {"decision": "resend", "confirmed": "1"})
    row = unknown_row(mailing)
    assert row.state in (WorkState.PENDING, WorkState.CLAIMED, WorkState.DONE)
    assert row.state != WorkState.INTERRUPTED
    mailing.refresh_from_db()
    assert mailing.state in (MailingState.SENDING, MailingState.SENT)


def test_it_ignores_rows_that_are_not_unknown(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    delivered = Recipient.objects.for_org(org).get(mailing=mailing, name="Anne Livrée")
    r = as_bob.post(
        url(mailing),
        {"decision": "resend", "confirmed": "1", "recipient": [delivered.pk]},
        follow=True,
    )
    assert "No row with an unknown fate" in r.content.decode()
    delivered.refresh_from_db()
    assert delivered.state == WorkState.DONE


def test_it_asks_for_a_decision(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    r = as_bob.post(url(mailing), {"decision": "maybe"}, follow=True)
    assert "Choose: count them as sent, or send them again." in r.content.decode()


def test_it_forbids_a_member_without_send(as_sam: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    assert as_sam.post(url(mailing), {"decision": "sent", "confirmed": "1"}).status_code == 403
    assert unknown_row(mailing).state == WorkState.INTERRUPTED


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation
) -> None:
    theirs = pages_sample.sent(other_org)
    r = as_bob.post(url(theirs), {"decision": "sent", "confirmed": "1"})
    assert r.status_code == 404
    assert unknown_row(theirs).state == WorkState.INTERRUPTED


def test_it_never_touches_another_organisations_rows(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    mine, theirs = pages_sample.sent(org), pages_sample.sent(other_org)
    as_bob.post(
        url(mine), {"decision": "sent", "confirmed": "1", "recipient": [unknown_row(theirs).pk]}
    )
    assert unknown_row(theirs).state == WorkState.INTERRUPTED


def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(url(pages_sample.sent(org))).status_code == 405
