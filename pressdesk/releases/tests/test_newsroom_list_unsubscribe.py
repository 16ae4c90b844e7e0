"""The newsroom's mail of a new release carries List-Unsubscribe and List-Unsubscribe-Post
(RFC 8058), and the mail client's one-click POST ends the subscription with no cookie."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases import subscriptions
from pressdesk.releases.models import Subscriber, SubscriberMail
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db


def test_the_mail_has_one_click_headers_that_work_without_cookies(org: Organisation) -> None:
    subscriber = Subscriber.objects.for_org(org).create(
        email="a@example.org", language="fr", confirmed_at=timezone.now()
    )
    made = release(org, "Nouvelle usine", slug="usine")
    assert subscriptions.mail_subscribers(made) == 1
    row = SubscriberMail.objects.for_org(org).get()
    assert subscriptions.process(row.pk)["sent"] == 1
    sent = mail.outbox[0].message()
    header = str(sent["List-Unsubscribe"])
    assert header.startswith("<http://") and header.endswith(">")
    assert str(sent["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    url = header[1:-1]
    assert url in mail.outbox[0].body  # the same link as the visible one
    path = "/" + url.split("/", 3)[3]
    client = Client(enforce_csrf_checks=True)
    assert client.get(path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is None  # a GET changes nothing
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
