"""Subscribing to a newsroom: double opt-in, the press file with consent, the opt-out list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.releases import subscriptions
from pressdesk.releases.models import Subscriber, SubscriberMail
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    found = re.search(r"http://\S+/subscribe/\S+/", body)
    assert found
    return "/" + found.group(0).split("/", 3)[3]


def test_it_confirms_twice_and_files_the_contact_with_consent(
    client: Client, org: Organisation
) -> None:
    response = client.post(
        "/newsroom/acme/subscribe/", {"email": "Marie@Example.org", "language": "fr"}
    )
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marie@example.org"]
    subscriber = Subscriber.objects.for_org(org).get()
    assert subscriber.confirmed_at is None
    assert not Contact.objects.for_org(org).exists()
    link = _link(mail.outbox[0].body)
    # Opening the link (as a mail scanner would) changes nothing; the button does.
    assert client.get(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    assert client.post(link).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    contact = Contact.objects.for_org(org).get()
    assert contact.lawful_basis == "consent"
    assert contact.source_label == subscriptions.PROVENANCE
    assert subscriber.contact_id == contact.pk


def test_it_updates_a_contact_already_in_the_press_file(client: Client, org: Organisation) -> None:
    from pressdesk.contacts import editing

    known = editing.save_contact(
        org, None, {"last_name": "Dupont", "emails": ["m@example.org"]}, by=None
    )
    client.post("/newsroom/acme/subscribe/", {"email": "m@example.org"})
    client.post(_link(mail.outbox[0].body))
    known.refresh_from_db()
    assert known.lawful_basis == "consent" and Contact.objects.for_org(org).count() == 1


def test_it_never_mails_an_opted_out_address(client: Client, org: Organisation) -> None:
    services.opt_out(org, "gone@example.org", "unsubscribe")
    response = client.post("/newsroom/acme/subscribe/", {"email": "gone@example.org"})
    # The same answer as for anyone else: the form tells nothing about the list.
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert mail.outbox == []


def test_it_refuses_a_bad_address(client: Client, org: Organisation) -> None:
    response = client.post("/newsroom/acme/subscribe/", {"email": "not an address"})
    assert response.status_code == 400 and mail.outbox == []


def test_it_refuses_a_forged_or_foreign_link(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    client.post("/newsroom/acme/subscribe/", {"email": "m@example.org"})
    link = _link(mail.outbox[0].body)
    assert client.post(link.replace("acme", "other")).status_code == 404
    assert client.post(link[:-3] + "xx/").status_code == 404


def test_it_unsubscribes_and_mails_only_subscribers_in_the_language(
    client: Client, org: Organisation
) -> None:
    for address, lang in (
        ("a@example.org", "fr"),
        ("b@example.org", "en"),
        ("c@example.org", "fr"),
    ):
        client.post("/newsroom/acme/subscribe/", {"email": address, "language": lang})
        client.post(_link(mail.outbox[-1].body))
    services.opt_out(org, "c@example.org", "unsubscribe")
    mail.outbox.clear()
    r = release(org, "Nouvelle usine", slug="usine")
    # One row per French subscriber; queueing again (a retried effect) adds none.
    assert subscriptions.mail_subscribers(r) == 2
    assert subscriptions.mail_subscribers(r) == 0
    first = SubscriberMail.objects.for_org(org).order_by("pk").first()
    assert first is not None
    outcome = subscriptions.process(first.pk)
    assert outcome == {"sent": 1, "skipped": 1, "failed": 0}
    assert mail.outbox[0].to == ["a@example.org"] and "Nouvelle usine" in mail.outbox[0].subject
    # Every row is done: a second wake-up sends nothing again.
    assert subscriptions.process(first.pk) == {"sent": 0, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 1
    unsubscribe = re.search(r"http://\S+/unsubscribe/\S+/", mail.outbox[0].body)
    assert unsubscribe
    path = "/" + unsubscribe.group(0).split("/", 3)[3]
    assert client.post(path).status_code == 200
    mail.outbox.clear()
    later = release(org, "Deuxième usine", slug="usine-2")
    assert subscriptions.mail_subscribers(later) == 1  # c is still subscribed, but opted out
    row = SubscriberMail.objects.for_org(org).get(release=later)
    assert subscriptions.process(row.pk)["skipped"] == 1 and mail.outbox == []


def test_it_mails_nothing_for_a_release_that_is_not_public(org: Organisation) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Subscriber.objects.for_org(org).create(email="a@example.org", confirmed_at=timezone.now())
    r = release(org, slug="later", visible_from=timezone.now() + timedelta(hours=1))
    assert subscriptions.mail_subscribers(r) == 1
    row = SubscriberMail.objects.for_org(org).get()
    assert subscriptions.process(row.pk) == {"sent": 0, "skipped": 1, "failed": 0}
    assert mail.outbox == []
    assert ContactEmail.objects.for_org(org).count() == 0


def test_a_mail_whose_worker_died_after_handing_it_over_is_not_sent_again(
    org: Organisation,
) -> None:
    from django.utils import timezone

    from pressdesk.work import sweeper
    from pressdesk.work.kinds import kind_of
    from pressdesk.work.models import WorkState

    Subscriber.objects.for_org(org).create(email="a@example.org", confirmed_at=timezone.now())
    r = release(org, slug="x")
    subscriptions.mail_subscribers(r)
    row = SubscriberMail.objects.for_org(org).get()
    # A worker claimed the row and handed the mail over, then died before marking it sent.
    SubscriberMail.objects.for_org(org).filter(pk=row.pk).update(
        state=WorkState.CLAIMED,
        claimed_by="dead-worker",
        lease_until=timezone.now() - timedelta(seconds=1),
        outcome=SubscriberMail.SENDING,
    )
    sweeper.expire_claims(kind_of(SubscriberMail), timezone.now())
    row.refresh_from_db()
    assert row.state == WorkState.INTERRUPTED
    assert subscriptions.process(row.pk) == {"sent": 0, "skipped": 0, "failed": 0}
    assert mail.outbox == []


def test_it_mails_one_confirmation_per_address_per_ten_minutes(
    client: Client, org: Organisation
) -> None:
    for _ in range(3):
        client.post("/newsroom/acme/subscribe/", {"email": "flood@example.org"})
    assert len(mail.outbox) == 1
    Subscriber.objects.for_org(org).update(created=timezone.now() - timedelta(minutes=11))
    client.post("/newsroom/acme/subscribe/", {"email": "flood@example.org"})
    assert len(mail.outbox) == 2
