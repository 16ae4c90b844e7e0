from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact, Interaction
from pressdesk.contacts.tests.gdpr_support import EMAIL, person


def url(org: Organisation, pk: int) -> str:
    return f"/o/{org.slug}/contacts/gdpr/contact/{pk}/notice/"


@pytest.mark.django_db
def test_it_sends_and_records_the_notice(as_bob: Client, org: Organisation) -> None:
    contact = person(org, source_kind="import", source_label="cision-2026.csv")
    r = as_bob.post(url(org, contact.pk))
    assert r.status_code == 302
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    # French by default: the organisation's language.
    assert "Acme Énergie" in message.subject
    body = message.body
    assert "Acme Énergie" in body
    assert "cision-2026.csv" in body
    assert "3 years" in body or "3 ans" in body
    assert "CNIL" in body
    assert "http://127.0.0.1:8000/p/" in body
    html = message.alternatives[0][0]
    assert "/p/" in html
    contact.refresh_from_db()
    assert contact.notice_sent_at is not None
    interaction = Interaction.objects.get(contact=contact)
    assert interaction.kind == "notice"
    audit = AuditEntry.objects.get(action="contact.notice_sent")
    assert audit.data == {"contact_id": contact.pk, "count": 1}


@pytest.mark.django_db
def test_its_link_opens_the_preference_page(as_bob: Client, org: Organisation) -> None:
    contact = person(org, source_kind="import")
    as_bob.post(url(org, contact.pk))
    link = next(w for w in mail.outbox[0].body.split() if "/p/" in w)
    path = link.replace("http://127.0.0.1:8000", "")
    assert Client().get(path).status_code == 200


@pytest.mark.django_db
def test_it_writes_in_the_contacts_language(as_bob: Client, org: Organisation) -> None:
    contact = person(org, source_kind="import", preferred_language="en")
    as_bob.post(url(org, contact.pk))
    assert mail.outbox[0].subject == "How Acme Énergie uses your professional contact details"
    assert "Hello Marie Dupont," in mail.outbox[0].body
    assert "legitimate interest" in mail.outbox[0].body


@pytest.mark.django_db
def test_it_never_mails_an_opted_out_address(as_bob: Client, org: Organisation) -> None:
    contact = person(org, source_kind="import", emails=[EMAIL, "marie@perso.example.net"])
    services.opt_out(org, EMAIL, "objection")
    as_bob.post(url(org, contact.pk))
    assert [m.to for m in mail.outbox] == [["marie@perso.example.net"]]
    services.opt_out(org, "marie@perso.example.net", "objection")
    r = as_bob.post(url(org, contact.pk), follow=True)
    assert "No notice was sent" in r.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_charlie.post(url(org, contact.pk)).status_code == 404
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_vera.post(url(org, contact.pk)).status_code == 403
    assert mail.outbox == []
    assert Contact.objects.get().notice_sent_at is None


@pytest.mark.django_db
def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_bob.get(url(org, contact.pk)).status_code == 405
    assert mail.outbox == []
