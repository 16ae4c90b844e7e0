"""Deciding, row by row, what an import does: create, update, merge into an earlier row, or skip.

Decisions are made in memory against an index of the organisation's press file loaded once, so a
dry run costs no writes and a 100,000-row file costs no per-row queries. Contacts are "keys":
positive for contacts already in the database, negative for contacts this import creates.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import suggestions
from pressdesk.contacts.importing.rows import Record
from pressdesk.contacts.models import ContactEmail, Outlet, Position
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.services import opted_out_hashes
from pressdesk.lib.text import normalise

CREATE, UPDATE, MERGE, SKIP = "create", "update", "merge", "skip"
_NO_OUTLET = frozenset({"", "-", "n a", "na", "none", "aucun", "aucune", "nc", "n c"})
# token_sort_ratio at or above this, at the same outlet, makes a merge suggestion.
FUZZY_THRESHOLD = 90
# A new contact that shares an address with other people is suggested against this many of them
# (a newsroom's desk address can be shared by dozens of journalists).
SHARED_SUGGESTIONS = 1
_WORD_SPLIT = re.compile(r"[\W_]+")


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
        # Every contact an address belongs to, first owner first: newsrooms share desk addresses.
        self.email_owners: dict[str, list[int]] = {}
        # Contacts' names as stored, normalised only when a shared address needs comparing them.
        self._stored_names: dict[int, tuple[str, str]] = {}
        self._names: dict[int, str] = {}
        emails = ContactEmail.objects.for_org(org).order_by("pk")
        for normalised, contact_id, first, last in emails.values_list(
            "email_normalised", "contact_id", "contact__first_name", "contact__last_name"
        ):
            owners = self.email_owners.setdefault(normalised, [])
            if contact_id not in owners:
                owners.append(contact_id)
            self._stored_names[contact_id] = (first, last)
        self.outlets: dict[str, int] = {}
        self.outlet_names: dict[str, str] = {}
        # Outlets without a media type, which an import may fill in.
        self.untyped: set[int] = set()
        for pk, name, normalised, kind in (
            Outlet.objects.for_org(org)
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

    def person(self, key: int) -> str:
        """The normalised name of a contact that owns an address ("" if it has none)."""
        name = self._names.get(key)
        if name is None:
            first, last = self._stored_names.get(key, ("", ""))
            name = self._names[key] = normalise(f"{first} {last}")
        return name

    def name_person(self, key: int, name: str) -> None:
        """Remember the normalised name of a contact this import creates or names."""
        self._names[key] = name

    def add_to_bucket(self, outlet: str, name: str, key: int) -> None:
        """Remember that this contact, of this name, works at this outlet."""
        if not name or (outlet, key) in self.in_bucket:
            return
        self.in_bucket.add((outlet, key))
        self.names.setdefault((outlet, name), key)
        bucket = self.buckets.setdefault(outlet, _Bucket())
        bucket.names.append(name)
        bucket.keys.append(key)


def same_person(a: str, b: str) -> bool:
    """Whether two normalised names can be one person sharing an address: either is missing,
    they are close (a typo), or one is the other with words left out or cut to initials
    ("Paul M" and "Paul Martin", "Hélène Lefèvre" and "Hélène Lefèvre-Martin")."""
    if not a or not b or a == b:
        return True
    if fuzz.token_sort_ratio(a, b) >= FUZZY_THRESHOLD:
        return True
    short, long = sorted(([w for w in _WORD_SPLIT.split(n) if w] for n in (a, b)), key=len)
    whole = False
    for word in short:
        match = next(
            (
                w
                for w in long
                if w == word
                or (len(word) == 1 and w.startswith(word))
                or (len(w) == 1 and word.startswith(w))
            ),
            None,
        )
        if match is None:
            return False
        long.remove(match)
        whole = whole or (match == word and len(word) > 1)
    return whole


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
        owners = [index.email_owners.get(n, []) for _a, n in record.emails]
        candidates = list(dict.fromkeys(o for found in owners for o in found))
        # An address on file is the same person only if the names agree: a desk address shared
        # by two journalists must not fold one into the other.
        same = [o for o in candidates if same_person(name, index.person(o))]
        # A contact with the row's name before one without a name (that would take any name).
        same.sort(key=lambda o: not index.person(o))
        target = same[0] if same else None
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
        if name and not index.person(key):
            index.name_person(key, name)
        for owner in same:
            # The row ties together two contacts that may be this person (unless they already
            # share one of its addresses, like colleagues on a desk address).
            if not any(owner in found and key in found for found in owners):
                self._suggest(action, owner, key, 100, _("share an email address"))
        kept = []
        for email, found in zip(record.emails, owners, strict=True):
            if key not in found:
                if any(o in same for o in found):
                    # The address stays with the other contact for this person (a suggestion
                    # says so).
                    continue
                # Someone else's address too, like a newsroom's desk: a human decides.
                for owner in found[:SHARED_SUGGESTIONS]:
                    self._suggest(action, owner, key, 100, suggestions.same_email())
                # New, or shared with other people: this contact has it too.
                index.email_owners.setdefault(email[1], found).append(key)
            kept.append(email)
        record.emails = kept
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
                    suggestions.similar_name(outlet_name),
                )

    def _suggest(self, action: Action, a: int, b: int, score: int, reason: str) -> None:
        if a == b:
            return
        pair = (min(a, b), max(a, b))
        if pair not in self.suggested:
            self.suggested.add(pair)
            action.suggestions.append(Suggestion(a, b, score, reason))
