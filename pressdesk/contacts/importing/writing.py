"""Writing planned import actions to the database, a chunk at a time, with bulk queries."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import facets, search_index, services
from pressdesk.contacts.importing import bulk
from pressdesk.contacts.importing.details import Details, search_fields
from pressdesk.contacts.importing.planning import (
    CREATE,
    MERGE,
    Action,
    Index,
    Suggestion,
    outlet_key,
)
from pressdesk.contacts.importing.rows import Record
from pressdesk.contacts.models import (
    Contact,
    ContactList,
    ImportJob,
    ListMembership,
    MergeSuggestion,
    Outlet,
)
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.lib.text import normalise

_SCALARS = ("first_name", "last_name", "job_title", "country", "region")


def merge_records(into: Record, other: Record) -> None:
    """Fold a later row about the same person into an earlier one: fill blanks, add what is new."""
    for name in (*_SCALARS, "media_type"):
        if not getattr(into, name) and getattr(other, name):
            setattr(into, name, getattr(other, name))
    known = {n for _a, n in into.emails}
    into.emails += [e for e in other.emails if e[1] not in known]
    numbers = {e164 or raw for raw, e164, _label in into.phones}
    into.phones += [p for p in other.phones if (p[1] or p[0]) not in numbers]
    outlets = {outlet_key(o) for o, _t in into.positions}
    into.positions += [p for p in other.positions if outlet_key(p[0]) not in outlets]
    for name in ("beats", "tags", "languages", "notes"):
        mine: list[str] = getattr(into, name)
        seen = {normalise(v) for v in mine}
        mine += [v for v in getattr(other, name) if normalise(v) not in seen]
    for network, handle in other.social.items():
        into.social.setdefault(network, handle)


class Writer:
    """Applies actions for one import; keeps what earlier chunks created."""

    def __init__(
        self,
        org: Organisation,
        index: Index,
        *,
        source_label: str,
        lawful_basis: str,
        by: User | None,
        target_list: ContactList | None,
        job_id: int | None = None,
    ) -> None:
        self.org = org
        self.index = index
        self.source_label = source_label[:300]
        self.lawful_basis = lawful_basis
        self.by = by
        self.by_id = by.pk if by is not None else None
        self.target_list = target_list
        self.job_id = job_id
        # Every contact this import created or updated, for the duplicate scan that follows.
        self.written: list[int] = []
        self.key_to_id: dict[int, int] = {}
        self._beats: dict[str, int] = {}
        self._tags: dict[str, int] = {}
        self.now = timezone.now()

    def flush(self, actions: list[Action]) -> None:
        """Write one chunk of actions."""
        creates: dict[int, Record] = {}
        updates: dict[int, Record] = {}
        # Contacts this import already wrote: later rows of the file only fill their blanks.
        fill_only: set[int] = set()
        suggestions: list[Suggestion] = []
        for action in actions:
            record = action.record
            assert record is not None
            suggestions += action.suggestions
            # The planner left on the record only the addresses this contact gets.
            if action.kind == CREATE:
                creates[action.key] = record
            elif action.key in creates:
                merge_records(creates[action.key], record)
            else:
                contact_id = self._id(action.key)
                if contact_id in updates:
                    merge_records(updates[contact_id], record)
                elif contact_id is not None:
                    updates[contact_id] = record
                    if action.kind == MERGE:
                        fill_only.add(contact_id)
        self._outlets([*creates.values(), *updates.values()])
        ids = self._create(creates)
        ids += self._update(updates, fill_only)
        self._suggest(suggestions)
        self._add_to_list(ids)
        self._add_to_job(ids)
        self.written += ids

    def _id(self, key: int) -> int | None:
        return key if key > 0 else self.key_to_id.get(key)

    def _outlets(self, records: Iterable[Record]) -> None:
        new: dict[str, Outlet] = {}
        typed: dict[int, str] = {}
        for record in records:
            for name, _title in record.positions:
                key = outlet_key(name)
                if not key:
                    continue
                pk = self.index.outlets.get(key)
                if pk is None and key not in new:
                    new[key] = Outlet(
                        org=self.org,
                        name=name[:200],
                        name_normalised=key,
                        media_type=record.media_type,
                    )
                elif pk in self.index.untyped and record.media_type:
                    typed.setdefault(pk, record.media_type)
        created = Outlet.objects.bulk_create(new.values(), batch_size=500)
        for key, outlet in zip(new, created, strict=True):
            self.index.outlets[key] = outlet.pk
            if not outlet.media_type:
                self.index.untyped.add(outlet.pk)
        for pk, kind in typed.items():
            Outlet.objects.for_org(self.org).filter(pk=pk, media_type="").update(media_type=kind)
            self.index.untyped.discard(pk)
        # Contacts already at an outlet that just got its media type are now found under it.
        facets.refresh_outlets(typed)

    def _create(self, creates: dict[int, Record]) -> list[int]:
        details = Details(self, set(), set())
        rows, holders = [], []
        for record in creates.values():
            holder = SimpleNamespace(pk=None)
            row = {
                "org_id": self.org.pk,
                "first_name": record.first_name,
                "last_name": record.last_name,
                "job_title": record.job_title,
                "languages": record.languages,
                "country": record.country,
                "region": record.region,
                "social": record.social,
                "source_kind": SourceKind.IMPORT,
                "source_label": self.source_label,
                "lawful_basis": self.lawful_basis,
                "created": self.now,
                "created_by_id": self.by_id,
            }
            search_fields(row, details.add(holder, record))
            rows.append(row)
            holders.append(holder)
        ids = bulk.insert_returning_ids(Contact, rows)
        for key, holder, pk in zip(creates, holders, ids, strict=True):
            holder.pk = pk
            self.key_to_id[key] = pk
        details.save()
        search_index.index(Contact(pk=pk) for pk in ids)
        facets.refresh(ids)
        return ids

    def _update(self, updates: dict[int, Record], fill_only: set[int]) -> list[int]:
        if not updates:
            return []
        contacts = (
            Contact.objects.for_org(self.org)
            .filter(pk__in=updates)
            .prefetch_related("emails", "phones", "positions", "notes")
        )
        beats = set(
            Contact.beats.through.objects.filter(contact_id__in=updates).values_list(
                "contact_id", "beat_id"
            )
        )
        tags = set(
            Contact.tags.through.objects.filter(contact_id__in=updates).values_list(
                "contact_id", "tag_id"
            )
        )
        details = Details(self, beats, tags)
        changed: list[Contact] = []
        searchable: list[Contact] = []
        for contact in contacts:
            record = updates[contact.pk]
            changes: list[tuple[str, str, str]] = []
            for name in _SCALARS:
                old, new = getattr(contact, name), getattr(record, name)
                if contact.pk in fill_only and old:
                    continue
                if new and normalise(new) != normalise(old):
                    changes.append((name, old, new))
                    setattr(contact, name, new)
            languages = contact.languages + [
                c for c in record.languages if c not in contact.languages
            ]
            if languages != contact.languages:
                changes.append(("languages", ", ".join(contact.languages), ", ".join(languages)))
                contact.languages = languages
            for network, handle in record.social.items():
                if handle and contact.social.get(network) != handle:
                    changes.append((f"social.{network}", contact.social.get(network, ""), handle))
                    contact.social = {**contact.social, network: handle}
            if changes:
                contact.updated = self.now
                changed.append(contact)
            details.changes(contact.pk, changes)
            if details.add(contact, record, existing=contact).searchable or changes:
                searchable.append(contact)
        if changed:
            Contact.objects.bulk_update(
                changed, [*_SCALARS, "languages", "social", "updated"], batch_size=500
            )
        details.save()
        # Rows that repeat what the press file already has change nothing to search for.
        services.refresh_search(searchable)
        # The others' search text is unchanged, but a known outlet's region may be new to them.
        refreshed = {c.pk for c in searchable}
        facets.refresh(pk for pk in updates if pk not in refreshed)
        return list(updates)

    def _suggest(self, suggestions: list[Suggestion]) -> None:
        rows = []
        for s in suggestions:
            a, b = self._id(s.key_a), self._id(s.key_b)
            if a is None or b is None or a == b:
                continue
            a, b = min(a, b), max(a, b)
            rows.append(
                MergeSuggestion(
                    org=self.org,
                    contact_a_id=a,
                    contact_b_id=b,
                    score=s.score,
                    reason=s.reason[:200],
                )
            )
        MergeSuggestion.objects.bulk_create(rows, ignore_conflicts=True)

    def _add_to_list(self, ids: list[int]) -> None:
        if self.target_list is None or not ids:
            return
        ListMembership.objects.bulk_create(
            [
                ListMembership(
                    contact_list=self.target_list,
                    contact_id=pk,
                    added_by=self.by,
                    source=self.source_label,
                )
                for pk in ids
            ],
            ignore_conflicts=True,
            batch_size=500,
        )

    def _add_to_job(self, ids: list[int]) -> None:
        if self.job_id is None or not ids:
            return
        link = ImportJob.contacts.through
        link.objects.bulk_create(
            [link(importjob_id=self.job_id, contact_id=pk) for pk in ids],
            ignore_conflicts=True,
            batch_size=500,
        )

    def beat_id(self, name: str) -> int:
        """The id of the organisation's beat of this name, created if new (one query per name)."""
        if name not in self._beats:
            self._beats[name] = services.beat(self.org, name).pk
        return self._beats[name]

    def tag_id(self, name: str) -> int:
        """The id of the organisation's tag of this name, created if new (one query per name)."""
        if name not in self._tags:
            self._tags[name] = services.tag(self.org, name).pk
        return self._tags[name]
