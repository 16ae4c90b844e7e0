"""The contact page shows the mailings a person got, what came back, and their timeline."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample
from pressdesk.mailings.inbound import record_incoming
from pressdesk.mailings.models import Recipient
from pressdesk.mailings.tests.inbound_sample import fixture, reply, sent_mailing


@pytest.fixture
def claire(org: Organisation) -> Contact:
    return sample.contact(org, "Claire", "Dubois", emails=["claire.dubois@example.net"])


def page(client: Client, contact: Contact) -> str:
    r = client.get(f"/o/acme/contacts/{contact.pk}/")
    assert r.status_code == 200
    return r.content.decode()


def test_it_lists_mailings_with_their_outcome(
    as_bob: Client, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire], "Salon de l’énergie")
    record_incoming(org, fixture("dsn_hard_511.eml"))
    later = sent_mailing(org, [claire], "Lancement")
    record_incoming(org, reply(Recipient.objects.get(mailing=later)))
    html = page(as_bob, claire)
    assert "Salon de l’énergie</strong> — Hard bounce" in html
    assert "User unknown" in html
    assert "Lancement</strong> — Replied" in html
    assert "1 correction to review" in html
    # The timeline has the reply, linked to the mailing by name.
    assert "Reply to the mailing “Lancement”" in html


def test_a_viewer_sees_outcomes_but_no_corrections(
    as_vera: Client, org: Organisation, claire: Contact
) -> None:
    sent_mailing(org, [claire])
    record_incoming(org, fixture("dsn_hard_511.eml"))
    html = page(as_vera, claire)
    assert "Hard bounce" in html and "correction to review" not in html


def test_nothing_is_shown_for_a_person_never_mailed(as_bob: Client, claire: Contact) -> None:
    assert 'id="mailings-title"' not in page(as_bob, claire)
