"""Deciding, row by row, what an import does: create, update, merge into an earlier row, or skip.

Decisions are made in memory against an index of the organisation's press file loaded once, so a
dry run costs no writes and a 100,000-row file costs no per-row queries. Contacts are "keys":
positive for contacts already in the database, negative for contacts this import creates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.importing.rows import Record
from pressdesk.contacts.models import ContactEmail, Outlet, Position
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.services import opted_out_hashes
from pressdesk.lib.text import normalise

CREATE, UPDATE, MERGE, SKIP = "create", "update", "merge", "skip"
_NO_OUTLET = frozenset({"", "-", "n a", "na", "none", "aucun", "aucune", "nc", "n c"})
# token_sort_ratio at or above this, at the same outlet, makes a merge suggestion.
FUZZY_THRESHOLD = 90


@dataclass(slots=True)
class Suggestion:
    key_a: int
    key_b: int
    score: int
    reason: str


@dataclass(slots=True)
class Action:
    kind: str
    key: int = 0
    record: Record | None = None
    reason: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)


@dataclass
class _Bucket:
    names: list[str] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)


@functools.lru_cache(maxsize=65536)
def outlet_key(name: str) -> str:
    """The normalised name outlets are matched on ("" for placeholders like "-" or "N/A")."""
    key = normalise(name)[:200]
    return "" if key in _NO_OUTLET or not any(c.isalnum() for c in key) else key


class Index:
    """What the import needs to know about the organisation's press file, in a few queries."""

    def __init__(self, org: Organisation) -> None:
        self.org = org
        self.email_owner: dict[str, int] = dict(
            ContactEmail.objects.filter(org=org)
            .order_by("-pk")
            .values_list("email_normalised", "contact_id")
        )
        self.outlets: dict[str, int] = {}
        self.outlet_names: dict[str, str] = {}
        # Outlets without a media type, which an import may fill in.
        self.untyped: set[int] = set()
        for pk, name, normalised, kind in (
            Outlet.objects.filter(org=org)
            .order_by("-pk")
            .values_list("pk", "name", "name_normalised", "media_type")
        ):
            key = normalised or outlet_key(name)
            self.outlets[key] = pk
            self.outlet_names[key] = name
            if not kind:
                self.untyped.add(pk)
        self.names: dict[tuple[str, str], int] = {}
        self.buckets: dict[str, _Bucket] = {}
        self.in_bucket: set[tuple[str, int]] = set()
        current = Position.objects.filter(contact__org=org, end_date=None).values_list(
            "outlet__name_normalised",
            "outlet__name",
            "contact_id",
            "contact__first_name",
            "contact__last_name",
        )
        for stored_key, outlet_name, contact_id, first, last in current.order_by("contact_id"):
            key = stored_key or outlet_key(outlet_name)
            self.add_to_bucket(key, normalise(f"{first} {last}"), contact_id)
        self.optout = opted_out_hashes(org)

    def add_to_bucket(self, outlet: str, name: str, key: int) -> None:
        """Remember that this contact, of this name, works at this outlet."""
        if not name or (outlet, key) in self.in_bucket:
            return
        self.in_bucket.add((outlet, key))
        self.names.setdefault((outlet, name), key)
        bucket = self.buckets.setdefault(outlet, _Bucket())
        bucket.names.append(name)
        bucket.keys.append(key)


class Planner:
    """Decides each record's action, keeping track of what earlier rows of the file did."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.touched: set[int] = set()
        self.suggested: set[tuple[int, int]] = set()
        self._next = 0

    def plan(self, record: Record) -> Action:
        """The action for one valid record."""
        index = self.index
        for _address, normalised in record.emails:
            if address_hash(normalised) in index.optout:
                return Action(SKIP, record=record, reason=_("on the opt-out list"))
        outlets = [outlet_key(outlet) for outlet, _title in record.positions]
        for (outlet_name, _title), outlet in zip(record.positions, outlets, strict=True):
            index.outlet_names.setdefault(outlet, outlet_name)
        outlets = [o for o in outlets if o]
        name = record.name_key
        owners = [index.email_owner.get(n) for _a, n in record.emails]
        target = next((o for o in owners if o is not None), None)
        if target is None and not record.emails and name:
            # Without an email, the same name at the same outlet is the same person.
            target = next(
                (index.names[(o, name)] for o in outlets if (o, name) in index.names), None
            )
        if target is None:
            self._next -= 1
            action = Action(CREATE, self._next, record)
        else:
            action = Action(MERGE if target in self.touched else UPDATE, target, record)
        key = action.key
        self.touched.add(key)
        for owner in {o for o in owners if o is not None and o != key}:
            self._suggest(action, owner, key, 100, _("share an email address"))
        for (_address, normalised), found in zip(record.emails, owners, strict=True):
            if found is None:
                index.email_owner[normalised] = key
        if action.kind == CREATE and name:
            self._fuzzy(action, outlets, name)
        for outlet in outlets:
            index.add_to_bucket(outlet, name, key)
        return action

    def _fuzzy(self, action: Action, outlets: list[str], name: str) -> None:
        for outlet in outlets:
            bucket = self.index.buckets.get(outlet)
            if bucket is None:
                continue
            matches = process.extract(
                name,
                bucket.names,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=FUZZY_THRESHOLD,
                limit=5,
            )
            for _choice, score, position in matches:
                outlet_name = self.index.outlet_names.get(outlet) or outlet
                self._suggest(
                    action,
                    bucket.keys[position],
                    action.key,
                    int(score),
                    _("similar name at %(outlet)s") % {"outlet": outlet_name},
                )

    def _suggest(self, action: Action, a: int, b: int, score: int, reason: str) -> None:
        if a == b:
            return
        pair = (min(a, b), max(a, b))
        if pair not in self.suggested:
            self.suggested.add(pair)
            action.suggestions.append(Suggestion(a, b, score, reason))
