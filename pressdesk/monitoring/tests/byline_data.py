"""Bylines to review: an article from a source of a known outlet, signed by someone the press
file does not have, and journalists who are not among the byline's candidates."""

from __future__ import annotations

from dataclasses import dataclass

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact, Outlet
from pressdesk.contacts.tests import sample
from pressdesk.monitoring import bylines, watch
from pressdesk.monitoring.models import Byline, Item, Source
from pressdesk.monitoring.tests.support import article


@dataclass
class Unknown:
    byline: Byline
    item: Item
    outlet: Outlet
    source: Source


def signed(
    org: Organisation, title: str, author: str, *, outlet: Outlet | None, source: Source | None
) -> Item:
    """An article through the real pipeline, then signed and linked as the pipeline links it."""
    item = article(org, title, f"<p>{title}: Acme opened a plant.</p>", outlet=outlet)
    Item.objects.for_org(org).filter(pk=item.pk).update(author=author, source=source)
    item.refresh_from_db()
    Item.objects.for_org(org).filter(pk=item.pk).update(author_contact=bylines.link(item))
    item.refresh_from_db()
    return item


def unknown(org: Organisation, author: str = "Jean de La Fontaine") -> Unknown:
    """A byline no contact of the press file goes by, seen on an article of Le Quotidien."""
    watch.save(org, "Acme", "acme")
    outlet = sample.outlet(org, "Le Quotidien")
    source = Source.objects.for_org(org).create(
        url="https://quotidien.example/rss.xml", kind="feed", outlet=outlet
    )
    item = signed(org, "Acme opens a plant", author, outlet=outlet, source=source)
    byline = Byline.objects.for_org(org).get(name=author)
    return Unknown(byline, item, outlet, source)


def journalist(org: Organisation, first: str = "Claire", last: str = "Moreau") -> Contact:
    """A journalist of the press file whom no byline's candidates include (another last name)."""
    return sample.contact(
        org,
        first,
        last,
        emails=[f"{first.lower()}@hebdo.example"],
        at=sample.outlet(org, "L'Hebdo du Centre"),
    )
