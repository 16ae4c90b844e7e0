"""Byline suggestions: linked to a journalist of the press file (audited), or rejected."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Byline, Item
from pressdesk.monitoring.tests.support import article

URL = "/o/acme/monitoring/bylines/"


def _suggested(org: Organisation) -> tuple[Byline, Contact, Item]:
    contact = Contact.objects.for_org(org).create(first_name="Julien", last_name="Fournier")
    Contact.objects.for_org(org).create(first_name="Marie", last_name="Dupont")
    watch.save(org, "Acme", "acme")
    item = article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    Item.objects.for_org(org).filter(pk=item.pk).update(author="J. Fournier")
    item.refresh_from_db()
    from pressdesk.monitoring import bylines

    bylines.link(item)
    return Byline.objects.for_org(org).get(name="J. Fournier"), contact, item


def test_it_lists_pending_bylines_with_the_journalists_they_may_be(
    as_vera: Client, org: Organisation
) -> None:
    byline, contact, _item = _suggested(org)
    r = as_vera.get(URL)
    assert r.status_code == 200
    assert r.context["rows"] == [(byline, [contact], None)]  # not Marie Dupont; no guess to add
    assert "Link to this journalist" not in r.content.decode()  # a viewer has no buttons
    # Suggestions are kept per outlet: one whose outlet is not known says so.
    assert byline.outlet is None and "Outlet not known" in r.content.decode()


def test_it_links_a_byline_to_a_journalist_and_audits_it(as_bob: Client, org: Organisation) -> None:
    byline, contact, item = _suggested(org)
    r = as_bob.post(f"{URL}{byline.pk}/", {"action": "accept", "contact": contact.pk})
    assert r.status_code == 302
    byline.refresh_from_db()
    item.refresh_from_db()
    assert (byline.status, byline.contact) == (Byline.LINKED, contact)
    assert item.author_contact == contact
    entry = AuditEntry.objects.get(action="monitoring.byline_accept")
    assert entry.data["contact_id"] == contact.pk and entry.data["articles"] == 1
    # A later article under the same byline is linked by the pipeline itself.
    later = article(org, "Acme hires", "<p>Acme hires 20 people.</p>")
    Item.objects.for_org(org).filter(pk=later.pk).update(author="J. Fournier")
    later.refresh_from_db()
    from pressdesk.monitoring import bylines

    assert bylines.link(later) == contact
    # The journalist's page shows what they wrote.
    page = as_bob.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Recent articles" in page and "Acme opens a plant" in page


def test_it_rejects_a_suggestion(as_bob: Client, org: Organisation) -> None:
    byline, _contact, item = _suggested(org)
    as_bob.post(f"{URL}{byline.pk}/", {"action": "reject"})
    byline.refresh_from_db()
    item.refresh_from_db()
    assert byline.status == Byline.DISMISSED and item.author_contact is None
    assert AuditEntry.objects.filter(action="monitoring.byline_reject").count() == 1
    assert as_bob.get(URL).context["rows"] == []
    # Decided once: a second decision changes nothing.
    as_bob.post(f"{URL}{byline.pk}/", {"action": "accept", "contact": _contact.pk})
    byline.refresh_from_db()
    assert byline.status == Byline.DISMISSED
    assert not AuditEntry.objects.filter(action="monitoring.byline_accept").exists()


def test_it_lets_no_viewer_decide(as_vera: Client, org: Organisation) -> None:
    byline, contact, _item = _suggested(org)
    r = as_vera.post(f"{URL}{byline.pk}/", {"action": "accept", "contact": contact.pk})
    assert r.status_code == 403
    byline.refresh_from_db()
    assert byline.status == Byline.PENDING


def test_it_refuses_get_on_a_decision(as_bob: Client, org: Organisation) -> None:
    byline, _contact, _item = _suggested(org)
    assert as_bob.get(f"{URL}{byline.pk}/").status_code == 405
    assert as_bob.post(URL).status_code == 405


def test_it_sends_outsiders_to_login(client: Client, org: Organisation) -> None:
    byline, contact, _item = _suggested(org)
    assert client.get(URL).status_code == 302
    client.post(f"{URL}{byline.pk}/", {"action": "accept", "contact": contact.pk})
    byline.refresh_from_db()
    assert byline.status == Byline.PENDING


def test_it_refuses_another_organisations_contact(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    byline, _contact, _item = _suggested(org)
    theirs = Contact.objects.for_org(other_org).create(first_name="Jean", last_name="Fournier")
    r = as_bob.post(f"{URL}{byline.pk}/", {"action": "accept", "contact": theirs.pk})
    assert r.status_code == 404
    byline.refresh_from_db()
    assert byline.status == Byline.PENDING


def test_it_checks_the_organisation(
    as_charlie: Client, org: Organisation, other_org: Organisation
) -> None:
    byline, _contact, _item = _suggested(org)
    assert as_charlie.get(URL).status_code == 404
    r = as_charlie.post(f"/o/other/monitoring/bylines/{byline.pk}/", {"action": "reject"})
    assert r.status_code == 404
    byline.refresh_from_db()
    assert byline.status == Byline.PENDING
