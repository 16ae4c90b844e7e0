"""Tags on contacts: adding and removing them, one contact or many, and the team's tag list
(rename, merge, delete). Every change lands in each contact's history; changes to many contacts
at once, and to the tag list, also go in the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact, ContactList, Tag
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.lib.text import normalise

TagLinks = Contact.tags.through


def tags_with_counts(org: Organisation) -> QuerySet[Tag]:
    """The organisation's tags by name, each with `contact_count`."""
    return Tag.objects.for_org(org).annotate(contact_count=Count("contacts")).order_by("name")


def _names_by_contact(contact_ids: Iterable[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    links = TagLinks.objects.filter(contact_id__in=list(contact_ids))
    for contact_id, name in links.values_list("contact_id", "tag__name"):
        names[contact_id].append(name)
    return {pk: sorted(found, key=normalise) for pk, found in names.items()}


def _record(
    contact_ids: list[int],
    before: dict[int, list[str]],
    *,
    by: User | None,
    source_label: str = "",
) -> None:
    """One history row per contact whose tags changed, then their search text."""
    after = _names_by_contact(contact_ids)
    # all-orgs: the callers take these ids from one organisation's scoped rows
    contacts = list(Contact.objects.filter(pk__in=contact_ids))
    for contact in contacts:
        old, new = ", ".join(before.get(contact.pk, [])), ", ".join(after.get(contact.pk, []))
        services.record_changes(
            contact,
            {"tags": (old, new)},
            source_kind=SourceKind.MANUAL,
            source_label=source_label,
            by=by,
        )
    services.refresh_search(contacts)


@transaction.atomic
def tag_contacts(
    org: Organisation,
    contact_ids: Iterable[int],
    name: str,
    *,
    by: User | None,
    request: HttpRequest | None = None,
    source_label: str = "",
) -> tuple[Tag, int]:
    """Tag the organisation's contacts with these ids (the contact list's bulk action), with
    their history and an audit entry; the tag and how many were newly tagged."""
    tag = services.tag(org, name)
    ids = set(
        Contact.objects.for_org(org).filter(pk__in=list(contact_ids)).values_list("pk", flat=True)
    )
    ids -= set(
        TagLinks.objects.filter(tag=tag, contact_id__in=ids).values_list("contact_id", flat=True)
    )
    new = sorted(ids)
    before = _names_by_contact(new)
    TagLinks.objects.bulk_create(TagLinks(contact_id=pk, tag_id=tag.pk) for pk in new)
    _record(new, before, by=by, source_label=source_label)
    audit.record("contacts.tag", org=org, actor=by, request=request, tag=tag.name, count=len(new))
    return tag, len(new)


@transaction.atomic
def tag_contact(contact: Contact, name: str, *, by: User | None) -> Tag:
    """Tag one contact (from its page): history only, as for any edit of the contact."""
    tag = services.tag(contact.org, name)
    if not contact.tags.filter(pk=tag.pk).exists():
        before = _names_by_contact([contact.pk])
        contact.tags.add(tag)
        _record([contact.pk], before, by=by)
    return tag


@transaction.atomic
def untag_contact(contact: Contact, tag: Tag, *, by: User | None) -> None:
    """Take a tag off one contact."""
    before = _names_by_contact([contact.pk])
    contact.tags.remove(tag)
    _record([contact.pk], before, by=by)


def _contacts_of(tag: Tag) -> list[int]:
    return list(TagLinks.objects.filter(tag=tag).values_list("contact_id", flat=True))


@transaction.atomic
def rename_tag(tag: Tag, name: str, *, by: User | None, request: HttpRequest | None) -> Tag:
    """Give a tag a new name, seen on every contact that has it.

    A name another tag already has is refused: that is a merge, which the user asks for.
    """
    name = name.strip()[:100]
    key = normalise(name)[:100]
    if not key:
        raise ValidationError(_("Give the tag a name."))
    if Tag.objects.for_org(tag.org).filter(name_normalised=key).exclude(pk=tag.pk).exists():
        raise ValidationError(
            _("Another tag is already called “%(name)s”: merge the two instead.") % {"name": name}
        )
    old = tag.name
    if old == name:
        return tag
    ids = _contacts_of(tag)
    before = _names_by_contact(ids)
    tag.name, tag.name_normalised = name, key
    tag.save(update_fields=["name", "name_normalised"])
    _record(ids, before, by=by)
    audit.record(
        "tag.rename", org=tag.org, actor=by, request=request, obj=tag, old=old, new=name,
        count=len(ids),
    )  # fmt: skip
    return tag


def _replace_in_segments(org: Organisation, old: Tag, new: Tag) -> None:
    # Saved segments name tags by id: after a merge they select the same people. (After a
    # deletion the id stays, and the segment page says its filters no longer make sense, rather
    # than the segment silently widening to everyone.)
    for segment in ContactList.objects.for_org(org).filter(kind=ContactList.SEGMENT):
        wanted = [str(v) for v in (segment.filters or {}).get("tag", [])]
        if str(old.pk) not in wanted:
            continue
        kept = [v for v in wanted if v != str(old.pk)]
        if str(new.pk) not in kept:
            kept.append(str(new.pk))
        segment.filters = {**segment.filters, "tag": kept}
        segment.save(update_fields=["filters"])


@transaction.atomic
def merge_tags(source: Tag, target: Tag, *, by: User | None, request: HttpRequest | None) -> int:
    """Fold one tag into another: its contacts get the other tag, and it is gone. How many moved."""
    if source.org_id != target.org_id or source.pk == target.pk:
        raise ValidationError(_("Choose another tag of your organisation."))
    ids = _contacts_of(source)
    before = _names_by_contact(ids)
    has_target = set(
        TagLinks.objects.filter(tag=target, contact_id__in=ids).values_list("contact_id", flat=True)
    )
    TagLinks.objects.bulk_create(
        TagLinks(contact_id=pk, tag_id=target.pk) for pk in ids if pk not in has_target
    )
    _replace_in_segments(source.org, source, target)
    audit.record(
        "tag.merge", org=source.org, actor=by, request=request, obj=target, merged=source.name,
        into=target.name, count=len(ids),
    )  # fmt: skip
    source.delete()
    _record(ids, before, by=by)
    return len(ids)


@transaction.atomic
def delete_tag(tag: Tag, *, by: User | None, request: HttpRequest | None) -> int:
    """Delete a tag, taking it off every contact; how many had it."""
    ids = _contacts_of(tag)
    before = _names_by_contact(ids)
    audit.record("tag.delete", org=tag.org, actor=by, request=request, obj=tag, count=len(ids))
    tag.delete()
    _record(ids, before, by=by)
    return len(ids)
