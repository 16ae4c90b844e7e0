"""Send me a test: the sample recipient's message to my own address, marked [TEST], audited,
through a real SMTP server on loopback; roles and other organisations' ids."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.conftest import login
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests import compose_data as data


def url(mailing: Mailing) -> str:
    return f"/o/{mailing.org.slug}/mailings/{mailing.pk}/test/"


def test_it_sends_the_preview_to_me(
    as_bob: Client, org: Organisation, bob: User, sink: Sink
) -> None:
    mailing = data.mailing(org, bob)
    paul = data.contact(org, "Paul", "Martin", "paul@example.org", outlet="Le Monde")
    mailing.contacts.add(paul)
    response = as_bob.post(url(mailing), {"contact": paul.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/o/acme/mailings/{mailing.pk}/edit/?contact={paul.pk}"
    sink.wait_for(1)
    assert sink.recipients() == ["bob@example.org"]
    message = sink.parsed(0)
    assert message["Subject"] == "[TEST] Notre offre pour Le Monde"
    assert message["To"] == "Bob Officer <bob@example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/m/u/preview/" in str(message["List-Unsubscribe"])
    assert "paul@example.org" not in sink.recipients()
    entry = AuditEntry.objects.get(action="mailing.test_send")
    assert entry.data["to"] == "bob@example.org" and entry.object_id == str(mailing.pk)
    assert not mailing.recipients.exists()  # a test is no part of the ledger


def test_without_recipients_it_says_so(
    as_bob: Client, org: Organisation, bob: User, sink: Sink
) -> None:
    mailing = data.mailing(org, bob)
    response = as_bob.post(url(mailing), follow=True)
    assert response.status_code == 200
    assert not sink.recipients()
    assert not AuditEntry.objects.filter(action="mailing.test_send").exists()


def test_roles(
    client: Client, org: Organisation, bob: User, vera: User, sam: User, sink: Sink
) -> None:
    mailing = data.mailing(org, bob)
    mailing.contacts.add(data.contact(org))
    for user in (vera, sam):
        login(client, user)
        assert client.post(url(mailing)).status_code == 403
    assert not sink.recipients()


def test_other_organisations_ids_are_404(
    as_charlie: Client,
    org: Organisation,
    other_org: Organisation,
    bob: User,
    charlie: User,
    sink: Sink,
) -> None:
    ours = data.mailing(org, bob)
    jeanne = data.contact(org)
    theirs = data.mailing(other_org, charlie)
    assert as_charlie.post(url(ours)).status_code == 404
    assert as_charlie.post(f"/o/other/mailings/{ours.pk}/test/").status_code == 404
    response = as_charlie.post(f"/o/other/mailings/{theirs.pk}/test/", {"contact": jeanne.pk})
    assert response.status_code == 404
    assert not sink.recipients()


def test_it_rejects_get(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    assert as_bob.get(url(mailing)).status_code == 405
