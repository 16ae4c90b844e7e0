"""Mailgun's webhooks (django-anymail), with their documented wire format and signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.contacts.tests import sample
from pressdesk.mailings.models import MailEvent, Recipient
from pressdesk.mailings.tests.inbound_sample import reply, sent_mailing

pytestmark = pytest.mark.django_db

KEY = "key-mailgun-signing-test"
SECRET = "hook:s3cret"
INBOUND = "/m/webhooks/mailgun/inbound/"
TRACKING = "/m/webhooks/mailgun/tracking/"


@pytest.fixture
def on(settings: Any) -> None:
    settings.MAILGUN_WEBHOOKS = True
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY, "WEBHOOK_SECRET": SECRET}


@pytest.fixture
def claire(org: Organisation) -> Contact:
    return sample.contact(org, "Claire", "Dubois", emails=["claire.dubois@example.net"])


def auth() -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()}


def signature(token: str, key: str = KEY) -> dict[str, str]:
    timestamp = "1795600000"
    digest = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": digest}


def failed(row: Recipient, message: str, token: str, severity: str = "permanent") -> str:
    """A "failed" event as Mailgun's documentation shows it (event-data, signature)."""
    return json.dumps(
        {
            "signature": signature(token),
            "event-data": {
                "event": "failed",
                "severity": severity,
                "reason": "bounce",
                "id": "G9Bn5sl1TC6nu79C8C0bwg",
                "timestamp": 1795600000.0,
                "recipient": row.address,
                "message": {"headers": {"message-id": row.message_id.strip("<>")}},
                "delivery-status": {"code": 550, "message": message, "description": ""},
            },
        }
    )


def test_an_inbound_reply_is_recorded_once(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    raw = reply(Recipient.objects.get(contact=claire)).decode()
    data = {"body-mime": raw, "recipient": "presse@acme.example", **signature("tok-1")}
    assert client.post(INBOUND, data, **auth()).status_code == 200
    assert client.post(INBOUND, data, **auth()).status_code == 200
    event = MailEvent.objects.get()
    assert (event.kind, event.detail["source"]) == ("reply", "mailgun")
    assert Recipient.objects.get(contact=claire).replied_at is not None


def test_a_bad_signature_or_no_auth_records_nothing(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    raw = reply(Recipient.objects.get(contact=claire)).decode()
    forged = {"body-mime": raw, **signature("tok-2", key="wrong")}
    assert client.post(INBOUND, forged, **auth()).status_code == 400
    assert client.post(INBOUND, {"body-mime": raw, **signature("tok-2")}).status_code == 400
    assert not MailEvent.objects.exists()


def test_the_webhooks_do_not_exist_unless_switched_on(client: Client, settings: Any) -> None:
    assert client.get(INBOUND).status_code == 405
    settings.MAILGUN_WEBHOOKS = False
    assert client.post(INBOUND, {}, **auth()).status_code == 404
    settings.MAILGUN_WEBHOOKS = True
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY, "WEBHOOK_SECRET": ""}
    assert client.post(TRACKING, {}, **auth()).status_code == 404


def test_a_failed_event_is_a_bounce_classified_by_our_rules(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    row = Recipient.objects.get(contact=claire)
    dead = failed(row, "550 5.1.1 The email account that you tried to reach does not exist", "t1")
    r = client.post(TRACKING, dead, content_type="application/json", **auth())
    assert r.status_code == 200
    client.post(TRACKING, dead, content_type="application/json", **auth())
    row.refresh_from_db()
    assert row.bounce == "hard" and "does not exist" in row.bounce_reason
    assert MailEvent.objects.get().source_id == "mailgun:t1"
    assert claire.emails.get().bounced_at is not None


def test_a_permanent_policy_refusal_is_soft_and_a_delay_is_ignored(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    row = Recipient.objects.get(contact=claire)
    delay = failed(row, "421 4.7.0 Try again later", "t2", severity="temporary")
    client.post(TRACKING, delay, content_type="application/json", **auth())
    assert not MailEvent.objects.exists()
    policy = failed(row, "550 5.7.1 Message rejected due to local policy", "t3")
    client.post(TRACKING, policy, content_type="application/json", **auth())
    row.refresh_from_db()
    assert row.bounce == "soft"
    assert claire.emails.get().bounced_at is None


def people_event(row: Recipient, kind: str, token: str, key: str = KEY) -> str:
    """A "complained" or "unsubscribed" event as Mailgun's documentation shows it."""
    event: dict[str, Any] = {
        "event": kind,
        "id": f"-Agny091SquKnsrW2NEKUA-{token}",
        "timestamp": 1795600000.5,
        "log-level": "warn" if kind == "complained" else "info",
        "recipient": row.address,
        "message": {
            "headers": {
                "to": f"Claire Dubois <{row.address}>",
                "message-id": row.message_id.strip("<>"),
                "from": "Acme <presse@acme.example>",
                "subject": "Invitation presse",
            },
            "attachments": [],
            "size": 111,
        },
        "tags": [],
        "user-variables": {},
        "campaigns": [],
    }
    if kind == "unsubscribed":
        event["client-info"] = {"client-type": "browser", "user-agent": "Mozilla/5.0"}
        event["geolocation"] = {"country": "FR", "region": "IDF", "city": "Paris"}
    return json.dumps({"signature": signature(token, key=key), "event-data": event})


def test_a_complaint_puts_the_person_on_the_opt_out_list_as_an_objection(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    from pressdesk.accounts.models import AuditEntry
    from pressdesk.contacts.models import Interaction, OptOut
    from pressdesk.contacts.models.optout import address_hash

    ContactEmail.objects.create(contact=claire, org=org, email="claire@perso.example")
    sent_mailing(org, [claire])
    row = Recipient.objects.get(contact=claire)
    spam = people_event(row, "complained", "c1")
    assert client.post(TRACKING, spam, content_type="application/json", **auth()).status_code == 200
    listed = {o.address_hash: o for o in OptOut.objects.for_org(org)}
    for address in ("claire.dubois@example.net", "claire@perso.example"):
        assert listed[address_hash(address)].reason == "objection"
    row.refresh_from_db()
    assert row.unsubscribed_at is not None
    event = MailEvent.objects.get()
    assert (event.kind, event.summary, event.contact_id) == (
        "unsubscribe",
        "mailgun complaint",
        claire.pk,
    )
    audit = AuditEntry.objects.get(action="mailing.unsubscribe")
    assert audit.data["source"] == "mailgun complaint" and audit.data["reason"] == "objection"
    assert (
        Interaction.objects.filter(contact=claire, object_type="contacts.preferences").count() == 1
    )
    # Mailgun retries: nothing more happens.
    client.post(TRACKING, spam, content_type="application/json", **auth())
    assert MailEvent.objects.count() == 1
    assert AuditEntry.objects.filter(action="mailing.unsubscribe").count() == 1


def test_mailguns_unsubscribe_is_an_unsubscription(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    from pressdesk.contacts.models import OptOut

    sent_mailing(org, [claire])
    row = Recipient.objects.get(contact=claire)
    body = people_event(row, "unsubscribed", "u1")
    assert client.post(TRACKING, body, content_type="application/json", **auth()).status_code == 200
    entry = OptOut.objects.for_org(org).get()
    assert entry.reason == "unsubscribe"
    assert MailEvent.objects.get().summary == "mailgun unsubscribe"


def test_a_forged_complaint_changes_nothing(
    client: Client, on: None, org: Organisation, claire: Contact
) -> None:
    from pressdesk.contacts.models import OptOut

    sent_mailing(org, [claire])
    row = Recipient.objects.get(contact=claire)
    forged = people_event(row, "complained", "f1", key="not-the-key")
    assert (
        client.post(TRACKING, forged, content_type="application/json", **auth()).status_code == 400
    )
    assert not OptOut.objects.exists()
    assert Recipient.objects.get(contact=claire).unsubscribed_at is None
