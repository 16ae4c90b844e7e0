"""Keeps the full-text index of contacts in step with their search text.

The backends live in pressdesk/lib/search; this module is the contacts' side of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressdesk.contacts.models import Contact


def index(contacts: Iterable[Contact]) -> None:
    """(Re)index these contacts. Placeholder until the search backend lands: search_text is enough."""
    for _contact in contacts:
        pass


def remove(contact_ids: Iterable[int]) -> None:
    """Drop these contacts from the index (deletion, erasure)."""
    for _pk in contact_ids:
        pass
