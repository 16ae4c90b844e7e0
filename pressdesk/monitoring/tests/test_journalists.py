"""A journalist's recent articles on their contact page, kept through a merge of duplicates."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import duplicates
from pressdesk.contacts.models import Contact
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Byline, Item
from pressdesk.monitoring.tests.support import article


def _signed(org: Organisation) -> tuple[Contact, Item]:
    contact = Contact.objects.for_org(org).create(first_name="Julien", last_name="Fournier")
    watch.save(org, "Acme", "acme", group="Organisation")
    item = article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    Item.objects.for_org(org).filter(pk=item.pk).update(author_contact=contact)
    return contact, item


def test_it_lists_the_journalists_recent_articles(as_vera: Client, org: Organisation) -> None:
    contact, _item = _signed(org)
    page = as_vera.get(f"/o/acme/contacts/{contact.pk}/").content.decode()
    assert "Recent articles" in page and "Acme opens a plant" in page
    assert "mentions: Acme" in page


def test_it_shows_no_panel_for_someone_who_wrote_nothing(
    as_vera: Client, org: Organisation
) -> None:
    other = Contact.objects.for_org(org).create(first_name="Marie", last_name="Dupont")
    _signed(org)
    page = as_vera.get(f"/o/acme/contacts/{other.pk}/").content.decode()
    assert "Recent articles" not in page


def test_it_keeps_the_articles_when_duplicates_merge(org: Organisation) -> None:
    keep = Contact.objects.for_org(org).create(first_name="Julien", last_name="Fournier")
    other, item = _signed(org)
    byline = Byline.objects.for_org(org).create(
        name="J. Fournier", name_normalised="j fournier", status=Byline.LINKED, contact=other
    )
    duplicates.merge(org, keep.pk, other.pk)
    item.refresh_from_db()
    byline.refresh_from_db()
    assert item.author_contact == keep and byline.contact == keep
