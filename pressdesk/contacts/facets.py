"""The values each contact is found under by the checkbox filters, kept at write time.

`refresh(contact_ids)` recomputes them from the contacts, their beats and their current outlets;
every path that changes one of those calls it: `services.refresh_search` (contact edit, API,
merge, notes, admin), the import's bulk writes, outlet edits (`refresh_outlets`). Deleting a
contact (erasure, delete, merge) removes its rows through the foreign key.

Counts. The whole file's count of each value is kept as it changes (`FacetTotal`): every change
to the stored values adds its differences in the same transaction, so the list's first page
reads about a hundred rows instead of counting every value of every contact (5.7 million at
1,000,000 contacts, 3 s of CPU after each change when they were cached and counted again). The
counts of a filtered selection are cached under the organisation's `FacetVersion`, which every
change bumps once committed, and the selection's own ids: a change shows in the next request.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, QuerySet, Sum

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import (
    Beat,
    Contact,
    ContactFacet,
    FacetKind,
    FacetTotal,
    FacetVersion,
    Position,
)
from pressdesk.lib.search.expressions import PkAnyOf, int_array

# Cached counts are keyed by version, so they never go stale; this only frees the memory.
CACHE_SECONDS = 600
# Past this many rows of changes to its counts, an organisation's rows are folded into one per
# value: reading a thousand rows costs about a millisecond.
FOLD_AFTER = 1000
# Deleting and inserting this many contacts' rows at a time keeps each statement's parameters
# under SQLite's limit.
BATCH = 500

# Outlet fields that count for the contacts working there now, and the kind each one feeds.
OUTLET_FACETS = {
    "region": FacetKind.REGION,
    "country": FacetKind.COUNTRY,
    "media_type": FacetKind.MEDIA_TYPE,
    "tier": FacetKind.TIER,
    "languages": FacetKind.LANGUAGE,
}


def _values(value: object) -> list[str]:
    """A field's value as facet values: a list's items, or the value itself; blanks left out."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        text = "" if item is None else str(item).strip()
        if text:
            out.append(text[:100])
    return out


def _normal(kind: str, value: str) -> str:
    if kind == FacetKind.COUNTRY:
        return value.upper()
    if kind == FacetKind.LANGUAGE:
        return value.lower()
    return value


def _models(apps: Any) -> tuple[Any, Any, Any, Any]:
    """Contact, its beat links, Position and ContactFacet: today's, or a migration's."""
    if apps is None:
        return Contact, Contact.beats.through, Position, ContactFacet
    contact = apps.get_model("contacts", "Contact")
    return (
        contact,
        contact.beats.through,
        apps.get_model("contacts", "Position"),
        apps.get_model("contacts", "ContactFacet"),
    )


def compute(contact_ids: list[int], apps: Any = None) -> dict[int, set[tuple[str, str]]]:
    """The (kind, value) pairs of each of these contacts, read from the database."""
    Contact, BeatLink, Position, _facet = _models(apps)
    found: dict[int, set[tuple[str, str]]] = defaultdict(set)

    def add(pk: int, kind: str, value: object) -> None:
        for v in _values(value):
            found[pk].add((kind, _normal(kind, v)))

    # all-orgs: the contacts given by id, each keeping its own organisation
    for pk, region, country, languages in Contact.objects.filter(pk__in=contact_ids).values_list(
        "pk", "region", "country", "languages"
    ):
        found[pk]
        add(pk, FacetKind.REGION, region)
        add(pk, FacetKind.COUNTRY, country)
        add(pk, FacetKind.LANGUAGE, languages)
    links = BeatLink.objects.filter(contact_id__in=contact_ids)
    for pk, beat_id in links.values_list("contact_id", "beat_id"):
        add(pk, FacetKind.BEAT, beat_id)
    current = Position.objects.filter(contact_id__in=contact_ids, end_date=None)
    fields = list(OUTLET_FACETS)
    for row in current.values_list("contact_id", *(f"outlet__{f}" for f in fields)):
        for field, value in zip(fields, row[1:], strict=True):
            add(row[0], OUTLET_FACETS[field], value)
    return found


def refresh(contact_ids: Iterable[int], apps: Any = None) -> None:
    """Recompute the stored facet values of these contacts (ids of deleted ones are ignored).

    `apps`: a migration's app registry, when a migration calls this."""
    Contact, _link, _position, ContactFacet = _models(apps)
    ids = sorted({int(pk) for pk in contact_ids if pk is not None})
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        wanted = compute(chunk, apps)
        # all-orgs: the contacts given by id, each keeping its own organisation
        orgs = dict(Contact.objects.filter(pk__in=chunk).values_list("pk", "org_id"))
        have: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
        # all-orgs: these contacts' own rows, whatever their organisation
        rows = ContactFacet.objects.filter(contact_id__in=chunk)
        for row_pk, pk, kind, value in rows.values_list("pk", "contact_id", "kind", "value"):
            have[pk][(kind, value)] = row_pk
        # Only the differences are written: most refreshes (a note, a phone) change nothing here.
        stale = [
            (pk, pair, row_pk)
            for pk in chunk
            for pair, row_pk in have[pk].items()
            if pair not in wanted.get(pk, set())
        ]
        added = [
            ContactFacet(org_id=orgs[pk], contact_id=pk, kind=kind, value=value)
            for pk, pairs in wanted.items()
            if pk in orgs
            for kind, value in sorted(pairs)
            if (kind, value) not in have[pk]
        ]
        # all-orgs: rows just read by id
        ContactFacet.objects.filter(pk__in=[row_pk for _pk, _pair, row_pk in stale]).delete()
        ContactFacet.objects.bulk_create(added, batch_size=BATCH)
        if apps is None:
            changes: dict[tuple[int, str, str], int] = defaultdict(int)
            for pk, (kind, value), _row in stale:
                changes[(orgs[pk], kind, value)] -= 1
            for row in added:
                changes[(row.org_id, row.kind, row.value)] += 1
            _record(changes)


def refresh_outlets(outlet_ids: Iterable[int]) -> None:
    """Recompute the facets of everybody working now at these outlets (after an outlet edit)."""
    ids = list(outlet_ids)
    if ids:
        at = Position.objects.filter(outlet_id__in=ids, end_date=None)
        refresh(at.values_list("contact_id", flat=True).distinct())


def forget_beat(sender: object, instance: Beat, **kwargs: object) -> None:
    """After a beat is deleted: remove its values, so that a filter naming it matches nobody."""
    if _whole_organisation(kwargs.get("origin")):
        return
    _forget(instance.org_id, FacetKind.BEAT, str(instance.pk))


def _whole_organisation(origin: object) -> bool:
    """Whether a deletion started from organisations: their counts go with them."""
    if isinstance(origin, QuerySet):
        return origin.model is Organisation
    return isinstance(origin, Organisation)


def _forget(org_id: int, kind: str, value: str) -> None:
    """Remove every contact's row of one value, and its count."""
    rows = ContactFacet.objects.for_org(org_id).filter(kind=kind, value=value)
    deleted, _by_model = rows.delete()
    _record({(org_id, kind, value): -deleted})


def forget_contact(sender: object, instance: Contact, **kwargs: object) -> None:
    """Before a contact is deleted (its rows go with it through the foreign key): its counts."""
    if _whole_organisation(kwargs.get("origin")):
        return
    changes: dict[tuple[int, str, str], int] = defaultdict(int)
    rows = ContactFacet.objects.for_org(instance.org_id).filter(contact_id=instance.pk)
    for kind, value in rows.values_list("kind", "value"):
        changes[(instance.org_id, kind, value)] -= 1
    _record(changes)


def beats_changed(
    sender: object, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """After `contact.beats.add()` and the like outside the services: the beat values follow."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh([instance.pk])
    elif action == "post_clear":
        _forget(instance.org_id, FacetKind.BEAT, str(instance.pk))
    else:
        refresh(pk_set or [])


def having(org: Organisation, kind: str, values: Iterable[object]) -> QuerySet[ContactFacet]:
    """The facet rows of one organisation's contacts under any of these values of a kind."""
    wanted = sorted({_normal(kind, v) for value in values for v in _values(value)})
    return ContactFacet.objects.for_org(org).filter(kind=kind, value__in=wanted)


def counts(ids: QuerySet[Any] | list[int], kinds: Iterable[str]) -> dict[str, dict[str, int]]:
    """How many of these contacts (their ids, or a query of them) have each value of each kind.

    Read off the (contact, kind, value) index alone, one probe per contact."""
    if isinstance(ids, list) and connection.vendor == "postgresql":
        return _counts_joined(ids, list(kinds))
    # all-orgs: the ids given are one organisation's selection already
    rows = ContactFacet.objects.filter(kind__in=list(kinds))
    if isinstance(ids, list):
        rows = rows.filter(PkAnyOf(sorted(set(ids)), "contact_id"))
    else:
        rows = rows.filter(contact_id__in=ids)
    return _grouped(rows)


def _counts_joined(ids: list[int], kinds: list[str]) -> dict[str, dict[str, int]]:
    """PostgreSQL: the counts of a list of ids, joined to the index as a set of rows.

    `contact_id = ANY(ids)` makes PostgreSQL scan the whole facet table, and `IN (SELECT
    unnest(ids))` de-duplicates the ids first; joining the unnested array probes the
    (contact, kind, value) index once per id: 40 ms of CPU for 14,440 contacts at 100,000,
    against 90 ms through the filters' subquery (EXPLAIN ANALYZE, docs/benchmarks.md)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    table = ContactFacet._meta.db_table
    with connection.cursor() as cursor:
        # all-orgs: the ids given are one organisation's selection already
        cursor.execute(
            f"SELECT f.kind, f.value, COUNT(*) FROM unnest(%s::bigint[]) AS s(id) "  # noqa: S608
            f"JOIN {table} f ON f.contact_id = s.id WHERE f.kind = ANY(%s) GROUP BY 1, 2",
            [int_array(sorted(set(ids))), kinds],
        )
        for kind, value, n in cursor.fetchall():
            out[kind][value] = n
    return dict(out)


def whole_file_counts(org: Organisation) -> dict[str, dict[str, int]]:
    """How many of the organisation's contacts have each value of each kind.

    The sums of the changes kept as they were written (`FacetTotal`): about a hundred rows,
    exact in every process without a cache; folded once they pile up past FOLD_AFTER."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    pieces = 0
    rows = FacetTotal.objects.for_org(org).values_list("kind", "value")
    for kind, value, total, n in rows.annotate(total=Sum("n"), n=Count("*")).order_by():
        pieces += n
        if total:
            out[kind][value] = total
    if pieces > FOLD_AFTER:
        fold(org)
    return dict(out)


class _Raced(Exception):
    """Another process folded the same rows first."""


def fold(org: Organisation | int) -> None:
    """Replace an organisation's rows of count changes by one row per value, with their sum.

    The rows are deleted by id, the ones summed and no other; if another process deleted some
    of them first, this fold gives way to it."""
    rows = list(FacetTotal.objects.for_org(org).values_list("pk", "kind", "value", "n"))
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for _pk, kind, value, n in rows:
        sums[(kind, value)] += n
    org_id = org if isinstance(org, int) else org.pk
    try:
        with transaction.atomic():
            deleted = 0
            for start in range(0, len(rows), BATCH):
                ids = [row[0] for row in rows[start : start + BATCH]]
                deleted += FacetTotal.objects.for_org(org).filter(pk__in=ids).delete()[0]
            if deleted != len(rows):
                raise _Raced
            FacetTotal.objects.bulk_create(
                [
                    FacetTotal(org_id=org_id, kind=kind, value=value, n=n)
                    for (kind, value), n in sorted(sums.items())
                    if n
                ],
                batch_size=BATCH,
            )
    except _Raced:
        pass


def rebuild_totals(org: Organisation) -> None:
    """Count the whole file's values again from the stored rows (after writes in bulk SQL)."""
    with transaction.atomic():
        FacetTotal.objects.for_org(org).delete()
        counted = _grouped(ContactFacet.objects.for_org(org))
        FacetTotal.objects.bulk_create(
            [
                FacetTotal(org=org, kind=kind, value=value, n=n)
                for kind, values in sorted(counted.items())
                for value, n in sorted(values.items())
            ],
            batch_size=BATCH,
        )
    _changed([org.pk])


def selection_counts(
    org: Organisation, ids: list[int], kinds: Iterable[str]
) -> dict[str, dict[str, int]]:
    """counts() of a selection, cached under the organisation's version and the ids themselves.

    Paging through a filtered list, or sorting it differently, counts its values once."""
    kinds = sorted(kinds)
    digest = hashlib.blake2b(",".join(kinds).encode(), digest_size=16)
    digest.update(array("q", ids).tobytes())
    key = f"contacts.facets:{org.pk}:{version(org)}:{digest.hexdigest()}"
    found: dict[str, dict[str, int]] | None = cache.get(key)
    if found is None:
        found = counts(ids, kinds)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _grouped(rows: QuerySet[ContactFacet]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, value, n in rows.values_list("kind", "value").annotate(n=Count("*")).order_by():
        out[kind][value] = n
    return dict(out)


def version(org: Organisation) -> str:
    """The organisation's facet version: the committed count of changes, then this process's.

    The database's counter is bumped once a change commits, so every process sees it; this
    process's own counter is bumped at once, so that its next request sees its own change
    even inside a transaction not yet committed (as tests run)."""
    committed, _created = FacetVersion.objects.for_org(org).get_or_create(org=org)
    return f"{committed.n}.{cache.get_or_set(_local_key(org.pk), 0, None)}"


def _local_key(org_id: int) -> str:
    return f"contacts.facets:{org_id}:version"


def _record(changes: dict[tuple[int, str, str], int]) -> None:
    """Add the changes of one write to the whole-file counts: (org, kind, value) → ±n."""
    rows = [
        FacetTotal(org_id=org_id, kind=kind, value=value, n=n)
        for (org_id, kind, value), n in sorted(changes.items())
        if n
    ]
    if rows:
        FacetTotal.objects.bulk_create(rows, batch_size=BATCH)
        _changed({org_id for org_id, _kind, _value in changes})


def _changed(org_ids: Iterable[int]) -> None:
    """Bump these organisations' facet versions: this process's now, the database's on commit."""
    ids = sorted(set(org_ids))
    for org_id in ids:
        try:
            cache.incr(_local_key(org_id))
        except ValueError:
            cache.set(_local_key(org_id), 1, None)

    def bump() -> None:
        # all-orgs: the organisations just changed, each its own counter
        FacetVersion.objects.filter(org_id__in=ids).update(n=F("n") + 1)

    transaction.on_commit(bump)
