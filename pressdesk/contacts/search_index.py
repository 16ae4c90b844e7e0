"""Keeps the full-text index of contacts in step with their search text, and queries it.

The backends live in pressdesk/lib/search. On SQLite, triggers on contacts_contact update the
FTS5 table on every insert, update of search_text and delete; on PostgreSQL the GIN index is a
functional index. So `index()` and `remove()` have nothing to do today: they stay as the hooks
callers use, should a backend ever need explicit work.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, connections
from django.db.models import QuerySet

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import Contact
from pressdesk.lib import search as fts
from pressdesk.lib.search.expressions import Matches, PkAnyOf

CONTACTS = fts.TextIndex(
    "contacts_contact",
    "search_text",
    order_by=("sort_name", "id"),
    order_index="contact_search_order",
    scan_index="contact_org_sort_name",
)


def index(contacts: Iterable[Contact]) -> None:
    """(Re)index these contacts after their search_text changed."""
    ids = fts.ids_list(c.pk for c in contacts)
    if ids:
        with connection.cursor() as cursor:
            fts.backend().index(cursor, CONTACTS, ids)


def remove(contact_ids: Iterable[int]) -> None:
    """Drop these contacts from the index (deletion, erasure)."""
    ids = fts.ids_list(contact_ids)
    if ids:
        with connection.cursor() as cursor:
            fts.backend().remove(cursor, CONTACTS, ids)


def rebuild() -> None:
    """Reindex every contact, e.g. after restoring a database dump."""
    with connection.cursor() as cursor:
        fts.backend().rebuild(cursor, CONTACTS)


def ensure_installed(using: str = "default", **kwargs: Any) -> None:
    """After migrate: recreate what a table rebuild dropped (SQLite triggers), then reindex."""
    fts.ensure_installed(CONTACTS, connections[using])


def matching(query: str, org: Organisation | None = None) -> Matches | None:
    """A filter() condition for contacts matching what the user typed; None if nothing to match.

    Give the organisation when the queryset is one organisation's: the index then narrows to it
    first (the queryset must still filter on it)."""
    parsed = fts.parse(query)
    return Matches(CONTACTS, parsed, org.pk if org else None) if parsed else None


# A queryset can carry a literal list of this many ids without trouble.
MAX_LITERAL_IDS = 5000


def restrict(contacts: QuerySet[Contact], query: str, org: Organisation) -> QuerySet[Contact]:
    """One organisation's contacts narrowed to those matching a quick search.

    Uses whichever form the database plans best: the match condition, or (PostgreSQL, few
    matches) the list of matching ids."""
    parsed = fts.parse(query)
    if not parsed:
        return contacts
    with connection.cursor() as cursor:
        ids = fts.backend().matching_ids(
            cursor, CONTACTS, parsed, org_id=org.pk, cap=MAX_LITERAL_IDS
        )
    if ids is not None:
        return contacts.filter(PkAnyOf(ids))
    return contacts.filter(Matches(CONTACTS, parsed, org.pk))


def search(org: Organisation, query: str, *, limit: int = 20, offset: int = 0) -> fts.Hits:
    """Ids of the organisation's contacts matching a quick search, by name, and the count."""
    with connection.cursor() as cursor:
        return fts.backend().search(
            cursor, CONTACTS, fts.parse(query), org_id=org.pk, limit=limit, offset=offset
        )
