"""Adding the journalist of an unknown byline to the press file from the byline page: the name
split (and correctable), the outlet of the article's source, provenance, the link, the audit."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import unknown

pytestmark = pytest.mark.django_db

LIST = "/o/acme/monitoring/bylines/"


def url(byline: Byline, org_slug: str = "acme") -> str:
    return f"/o/{org_slug}/monitoring/bylines/{byline.pk}/contact/"


def test_the_page_offers_the_split_name_and_the_outlet(as_bob: Client, org: Organisation) -> None:
    unknown(org)
    body = as_bob.get(LIST).content.decode()
    assert "Add this journalist to the press file" in body
    assert 'name="first_name" maxlength="100" value="Jean"' in body
    assert 'name="last_name" maxlength="100" value="de La Fontaine"' in body
    assert "At Le Quotidien, the outlet of the article’s source." in body


def test_a_viewer_sees_no_form(as_vera: Client, org: Organisation) -> None:
    unknown(org)
    body = as_vera.get(LIST).content.decode()
    assert "Add this journalist" not in body and "first_name" not in body
    assert "Or find any journalist" not in body


def test_it_adds_the_journalist_and_links_the_byline(
    as_bob: Client, bob: User, org: Organisation
) -> None:
    seen = unknown(org)
    r = as_bob.post(url(seen.byline), {"first_name": "Jean", "last_name": "de La Fontaine"})
    assert r.status_code == 302 and r["Location"] == LIST
    contact = Contact.objects.for_org(org).get(last_name="de La Fontaine")
    assert (contact.source_kind, contact.created_by) == (SourceKind.MONITORING, bob)
    assert "Acme opens a plant" in contact.source_label
    assert [p.outlet for p in contact.positions.all()] == [seen.outlet]
    seen.byline.refresh_from_db()
    seen.item.refresh_from_db()
    assert seen.byline.status == Byline.LINKED and seen.item.author_contact == contact
    entry = AuditEntry.objects.get(action="monitoring.byline_new_contact")
    assert entry.actor == bob and entry.data["contact_id"] == contact.pk
    page = as_bob.get(LIST)
    assert (
        "Jean de La Fontaine was added to the press file, with 1 article signed "
        "Jean de La Fontaine." in [str(m) for m in page.context["messages"]]
    )
    # Their page lists what they wrote, and where the contact came from.
    detail = as_bob.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Recent articles" in detail and "Acme opens a plant" in detail
    assert "Monitoring byline" in detail


def test_the_name_can_be_corrected(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    as_bob.post(url(seen.byline), {"first_name": "Jean-Marie", "last_name": "La Fontaine"})
    contact = Contact.objects.for_org(org).get()
    assert (contact.first_name, contact.last_name) == ("Jean-Marie", "La Fontaine")


def test_it_refuses_a_contact_without_a_name(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    as_bob.post(url(seen.byline), {"first_name": "", "last_name": " "})
    assert not Contact.objects.for_org(org).exists()
    seen.byline.refresh_from_db()
    assert seen.byline.status == Byline.PENDING
    r = as_bob.post(url(seen.byline), {"first_name": "x" * 101, "last_name": "y"})
    assert r.status_code == 400 and not Contact.objects.for_org(org).exists()


def test_a_byline_decided_already_adds_nobody(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    as_bob.post(f"{LIST}{seen.byline.pk}/", {"action": "reject"})
    r = as_bob.post(url(seen.byline), {"first_name": "Jean", "last_name": "de La Fontaine"})
    assert r.status_code == 302
    assert not Contact.objects.for_org(org).exists()
    assert "This byline has been reviewed already." in [
        str(m) for m in as_bob.get(LIST).context["messages"]
    ]


def test_it_lets_no_viewer_add(as_vera: Client, org: Organisation) -> None:
    seen = unknown(org)
    r = as_vera.post(url(seen.byline), {"first_name": "Jean", "last_name": "de La Fontaine"})
    assert r.status_code == 403
    assert not Contact.objects.for_org(org).exists()


def test_it_takes_post_only(as_bob: Client, org: Organisation) -> None:
    seen = unknown(org)
    assert as_bob.get(url(seen.byline)).status_code == 405
    assert not Contact.objects.for_org(org).exists()


def test_it_sends_outsiders_to_login(client: Client, org: Organisation) -> None:
    seen = unknown(org)
    r = client.post(url(seen.byline), {"first_name": "Jean", "last_name": "de La Fontaine"})
    assert r.status_code == 302
    assert not Contact.objects.for_org(org).exists()


def test_it_is_404_for_another_organisation(
    as_charlie: Client, org: Organisation, other_org: Organisation
) -> None:
    seen = unknown(org)
    data = {"first_name": "Jean", "last_name": "de La Fontaine"}
    assert as_charlie.post(url(seen.byline), data).status_code == 404
    # Through their own organisation, our byline's id is no byline of theirs.
    assert as_charlie.post(url(seen.byline, "other"), data).status_code == 404
    assert not Contact.objects.exists()
    seen.byline.refresh_from_db()
    assert seen.byline.status == Byline.PENDING
