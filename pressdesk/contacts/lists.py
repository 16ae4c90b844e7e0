"""Static lists and saved segments."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact, ContactList, ListMembership


def create_list(
    org: Organisation, name: str, *, by: User | None, description: str = ""
) -> ContactList:
    """A new, empty static list."""
    return ContactList.objects.create(
        org=org, name=name.strip()[:200], description=description, created_by=by
    )


def save_segment(
    org: Organisation, name: str, filters: dict[str, Any], *, by: User | None
) -> ContactList:
    """A saved segment: these filters, applied to the press file whenever it is used."""
    return ContactList.objects.create(
        org=org,
        name=name.strip()[:200],
        kind=ContactList.SEGMENT,
        filters=filters,
        created_by=by,
    )


@transaction.atomic
def add_to_list(
    contact_list: ContactList, contact_ids: Iterable[int], *, by: User | None, source: str = ""
) -> int:
    """Add the organisation's contacts with these ids to a static list; how many were new."""
    ids = set(
        Contact.objects.for_org(contact_list.org)
        .filter(pk__in=list(contact_ids))
        .values_list("pk", flat=True)
    )
    ids -= set(contact_list.memberships.values_list("contact_id", flat=True))
    ListMembership.objects.bulk_create(
        ListMembership(contact_list=contact_list, contact_id=pk, added_by=by, source=source[:300])
        for pk in sorted(ids)
    )
    return len(ids)


def remove_from_list(contact_list: ContactList, contact_ids: Iterable[int]) -> int:
    """Take these contacts off a static list; how many were on it."""
    removed, _detail = contact_list.memberships.filter(contact_id__in=list(contact_ids)).delete()
    return removed


def lists_with_counts(org: Organisation) -> list[ContactList]:
    """The organisation's lists and segments, each with `member_count`.

    A segment's count runs its filters: one query per segment, which is what the page is for.
    """
    from pressdesk.contacts.filters import segment_contacts

    found: QuerySet[ContactList] = ContactList.objects.for_org(org).annotate(
        static_count=Count("memberships")
    )
    result = list(found.order_by("kind", "name"))
    for contact_list in result:
        if contact_list.kind == ContactList.SEGMENT:
            contact_list.member_count = segment_contacts(contact_list).count()  # type: ignore[attr-defined]
        else:
            contact_list.member_count = contact_list.static_count  # type: ignore[attr-defined]
    return result


def members(contact_list: ContactList) -> QuerySet[Contact]:
    """A list's contacts today: a static list's members, or a segment's live result."""
    from pressdesk.contacts.filters import segment_contacts

    if contact_list.kind == ContactList.SEGMENT:
        return segment_contacts(contact_list)
    return (
        Contact.objects.for_org(contact_list.org)
        .filter(list_memberships__contact_list=contact_list)
        .order_by("sort_name", "id")
    )
