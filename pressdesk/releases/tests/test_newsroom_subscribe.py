"""Subscribing to a newsroom: double opt-in, the press file with consent, the opt-out list."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.releases import subscriptions
from pressdesk.releases.models import Subscriber
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
    outcome = subscriptions.mail_subscribers(r)
    assert outcome == {"sent": 1, "skipped": 1}
    assert mail.outbox[0].to == ["a@example.org"] and "Nouvelle usine" in mail.outbox[0].subject
    unsubscribe = re.search(r"http://\S+/unsubscribe/\S+/", mail.outbox[0].body)
    assert unsubscribe
    path = "/" + unsubscribe.group(0).split("/", 3)[3]
    assert client.post(path).status_code == 200
    mail.outbox.clear()
    assert subscriptions.mail_subscribers(r) == {"sent": 0, "skipped": 1}


def test_it_mails_nothing_for_a_release_that_is_not_public(org: Organisation) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Subscriber.objects.for_org(org).create(email="a@example.org", confirmed_at=timezone.now())
    r = release(org, slug="later", visible_from=timezone.now() + timedelta(hours=1))
    assert subscriptions.mail_subscribers(r) == {"sent": 0, "skipped": 0}
    assert mail.outbox == []
    assert ContactEmail.objects.for_org(org).count() == 0
