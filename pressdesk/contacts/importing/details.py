"""A contact's details written by an import (emails, phones, positions, notes, beats, tags) and the
provenance rows of updates, queued per chunk as plain rows and inserted in bulk."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from pressdesk.contacts import phones as phone_numbers
from pressdesk.contacts import services
from pressdesk.contacts.importing import bulk
from pressdesk.contacts.importing.planning import outlet_key
from pressdesk.contacts.importing.rows import Record
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    FieldChange,
    Note,
    Position,
)
from pressdesk.contacts.models.contacts import SourceKind, sort_key
from pressdesk.contacts.models.optout import address_hash
from pressdesk.lib.text import normalise

if TYPE_CHECKING:
    from pressdesk.contacts.importing.writing import Writer


@dataclass
class Added:
    """What one contact gains from one record, as the search text reads it."""

    emails: list[Any] = field(default_factory=list)
    positions: list[Any] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    beats: list[Any] = field(default_factory=list)
    tags: list[Any] = field(default_factory=list)
    # Whether anything that quick search matches on changed.
    searchable: bool = False


class _Related:
    """Stands for a related manager: `.all()` gives the objects in memory."""

    def __init__(self, objects: list[Any]) -> None:
        self.objects = objects

    def all(self) -> list[Any]:
        return self.objects


def search_fields(row: dict[str, Any], added: Added) -> None:
    """Search text and sort keys of a contact about to be inserted, as refresh_search makes them.

    refresh_search after a bulk insert would read every row back and write it again; here its
    own function runs on a stand-in holding the row and its details in memory.
    """
    view = SimpleNamespace(
        **row,
        emails=_Related(added.emails),
        positions=_Related(added.positions),
        beats=_Related(added.beats),
        tags=_Related(added.tags),
        notes=_Related(added.notes),
    )
    row["search_text"] = services.search_text_for(cast(Contact, view))
    row["sort_name"] = sort_key(row["last_name"], row["first_name"])
    # refresh_search takes the latest position (highest id, so the last one inserted).
    row["sort_outlet"] = sort_key(added.positions[-1].outlet.name) if added.positions else None


class Details:
    """Emails, phones, positions, notes, beats, tags and provenance of one chunk.

    Rows refer to their contact through `owner`, an object whose `pk` is known by save() time:
    the Contact for existing contacts, a holder filled after the insert for new ones.
    """

    def __init__(
        self, writer: Writer, beats: set[tuple[int, int]], tags: set[tuple[int, int]]
    ) -> None:
        self.w = writer
        # (contact, beat) and (contact, tag) pairs that already exist.
        self.have_beats: set[tuple[Any, int]] = set(beats)
        self.have_tags: set[tuple[Any, int]] = set(tags)
        self.rows: dict[type, list[dict[str, Any]]] = {
            ContactEmail: [],
            ContactPhone: [],
            Position: [],
            Note: [],
            Contact.beats.through: [],
            Contact.tags.through: [],
            FieldChange: [],
        }
        self.titles: list[Position] = []

    def changes(self, pk: int, changes: list[tuple[str, str, str]]) -> None:
        """Queue provenance rows: (field, old, new) changed by this import."""
        w = self.w
        self.rows[FieldChange] += [
            {
                "contact_id": pk,
                "field": name[:64],
                "old_value": old,
                "new_value": new,
                "source_kind": SourceKind.IMPORT,
                "source_label": w.source_label,
                "changed_at": w.now,
                "changed_by_id": w.by_id,
            }
            for name, old, new in changes
        ]

    def add(self, owner: Any, record: Record, existing: Contact | None = None) -> Added:
        """Queue the record's details for a contact, skipping what an existing one has."""
        added = Added()
        log: list[tuple[str, str, str]] = []
        self._emails(owner, record, existing, added, log)
        self._phones(owner, record, existing, log)
        self._positions(owner, record, existing, added, log)
        notes = {normalise(n.text) for n in existing.notes.all()} if existing else set()
        for text in record.notes:
            key = normalise(text) if existing or len(record.notes) > 1 else text
            if key not in notes:
                notes.add(key)
                added.notes.append(SimpleNamespace(text=text))
                self._row(Note, owner, author_id=self.w.by_id, text=text, created=self.w.now)
        self._labels(owner, record, existing, added, log)
        added.searchable = bool(log)
        if existing is not None:
            self.changes(existing.pk, log)
        return added

    def _row(self, model: type, owner: Any, **values: Any) -> None:
        self.rows[model].append({"owner": owner, **values})

    def _emails(
        self, owner: Any, record: Record, existing: Contact | None, added: Added, log: list[Any]
    ) -> None:
        known = {e.email_normalised for e in existing.emails.all()} if existing else set()
        for address, normalised in record.emails:
            if normalised in known:
                continue
            self._row(
                ContactEmail,
                owner,
                org_id=self.w.org.pk,
                email=address,
                email_normalised=normalised,
                address_hash=address_hash(normalised),
                is_primary=not known,
            )
            known.add(normalised)
            added.emails.append(SimpleNamespace(email=address))
            log.append(("email", "", address))

    def _phones(self, owner: Any, record: Record, existing: Contact | None, log: list[Any]) -> None:
        numbers = {p.e164 or p.raw for p in existing.phones.all()} if existing else set()
        for raw, e164, label in record.phones:
            if (e164 or raw) not in numbers:
                numbers.add(e164 or raw)
                self._row(ContactPhone, owner, raw=raw[:50], e164=e164, label=label)
                log.append(("phone", "", phone_numbers.history_item(label, e164, raw)))

    def _positions(
        self, owner: Any, record: Record, existing: Contact | None, added: Added, log: list[Any]
    ) -> None:
        current = (
            {p.outlet_id: p for p in existing.positions.all() if p.end_date is None}
            if existing
            else {}
        )
        for outlet, title in record.positions:
            outlet_id = self.w.index.outlets.get(outlet_key(outlet))
            if outlet_id is None:
                continue
            if outlet_id not in current:
                current[outlet_id] = Position(outlet_id=outlet_id, title=title)
                self._row(Position, owner, outlet_id=outlet_id, title=title)
                place = SimpleNamespace(name=outlet)
                added.positions.append(SimpleNamespace(end_date=None, title=title, outlet=place))
                log.append(("position", "", f"{title} — {outlet}" if title else outlet))
            elif title and current[outlet_id].title != title and current[outlet_id].pk:
                log.append(
                    ("position", f"{current[outlet_id].title} — {outlet}", f"{title} — {outlet}")
                )
                current[outlet_id].title = title
                self.titles.append(current[outlet_id])

    def _labels(
        self, owner: Any, record: Record, existing: Contact | None, added: Added, log: list[Any]
    ) -> None:
        # New contacts have no id yet: their holder object tells them apart.
        key: Any = existing.pk if existing is not None else id(owner)
        for names, have, through, getter, target, label, column in (
            (
                record.beats,
                self.have_beats,
                Contact.beats.through,
                self.w.beat_id,
                added.beats,
                "beats",
                "beat_id",
            ),
            (
                record.tags,
                self.have_tags,
                Contact.tags.through,
                self.w.tag_id,
                added.tags,
                "tags",
                "tag_id",
            ),
        ):
            for name in names:
                label_id = getter(name)
                if (key, label_id) not in have:
                    have.add((key, label_id))
                    self._row(through, owner, **{column: label_id})
                    target.append(SimpleNamespace(name=name))
                    log.append((label, "", name))

    def save(self) -> None:
        """Insert everything queued, once the chunk's new contacts have their ids."""
        for model, rows in self.rows.items():
            for row in rows:
                owner = row.pop("owner", None)
                if owner is not None:
                    row["contact_id"] = owner.pk
            ignore = model in (Contact.beats.through, Contact.tags.through)
            bulk.insert(model, rows, ignore_conflicts=ignore)
        if self.titles:
            Position.objects.bulk_update(self.titles, ["title"], batch_size=500)
