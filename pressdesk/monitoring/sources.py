"""Adding and importing sources: every URL is checked before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Outlet
from pressdesk.lib import safe_http
from pressdesk.lib.safe_http.addresses import Unresolvable, resolve
from pressdesk.lib.text import normalise
from pressdesk.monitoring.models import Source, SourceKind, SourcePoll


class SourceRefused(Exception):
    """The URL may not be watched (bad scheme, internal address …); nothing was stored."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def guess_kind(url: str) -> str:
    """A source kind from its address: sitemaps and social feeds have telling URLs."""
    lower = url.lower()
    if "sitemap" in lower and lower.endswith((".xml", ".xml.gz")):
        return SourceKind.SITEMAP
    if "bsky.app/" in lower or "/tags/" in lower or "/@" in lower:
        return SourceKind.SOCIAL
    return SourceKind.FEED


def check(url: str) -> str:
    """The URL, trimmed, if it may be watched; SourceRefused with the reason otherwise."""
    url = url.strip()
    try:
        resolve(url)
    except Unresolvable:
        # A name that does not resolve today is no danger: every fetch checks it again.
        pass
    except safe_http.FetchRefused as exc:
        raise SourceRefused(url, str(exc.reason)) from exc
    return url


def find_outlet(org: Organisation, name: str) -> Outlet:
    """The organisation's outlet of that name (compared normalised), created if none."""
    wanted = normalise(name)
    outlet = Outlet.objects.for_org(org).filter(name_normalised=wanted).first()
    return outlet or Outlet.objects.for_org(org).create(name=name.strip())


@transaction.atomic
def add(
    org: Organisation,
    url: str,
    *,
    outlet: Outlet | None = None,
    kind: str = "",
    title: str = "",
    interval_seconds: int | None = None,
    user: Any = None,
) -> tuple[Source, bool]:
    """Watch a URL: the source and its first poll, due now; (source, created)."""
    url = check(url)
    existing = Source.objects.for_org(org).filter(url=url).first()
    if existing:
        return existing, False
    source = Source.objects.for_org(org).create(
        url=url,
        kind=kind or guess_kind(url),
        outlet=outlet,
        title=title[:300],
        created_by=user,
        **({"interval_seconds": interval_seconds} if interval_seconds else {}),
    )
    SourcePoll.objects.for_org(org).create(source=source, due_at=timezone.now(), state="done")
    return source, True


@dataclass
class ImportReport:
    added: list[Source] = field(default_factory=list)
    existing: list[Source] = field(default_factory=list)
    refused: list[SourceRefused] = field(default_factory=list)


def import_opml(org: Organisation, data: bytes, *, user: Any = None) -> ImportReport:
    """Add every feed of an OPML file; refused URLs are reported, the others still added."""
    from pressdesk.monitoring.opml import read_opml

    report = ImportReport()
    for entry in read_opml(data):
        if entry.refused or not entry.xml_url:
            url = entry.xml_url or entry.title
            report.refused.append(SourceRefused(url, entry.refused or "no feed address"))
            continue
        try:
            source, created = add(
                org, entry.xml_url, title=entry.title, kind=SourceKind.FEED, user=user
            )
        except SourceRefused as exc:
            report.refused.append(exc)
            continue
        (report.added if created else report.existing).append(source)
    return report
