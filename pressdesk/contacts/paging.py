"""Pagination that reads a page's ids first, then only those rows; and keyset pagination.

The contact list pages by position in the sort order (keyset), not by OFFSET.

"Next" carries the sort key of the page's last row (`after=`), "Previous" that of its first
(`before=`); a page is then read off the sort index from that point, so page 1,000 costs what
page 1 does. The cursor is in the URL, so a page's link can be shared; its `page` number is
only shown. A bare `?page=N` (an older link) still works, by OFFSET.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

Fetch = Callable[[Sequence[int]], Iterable[Any]]

# Offsets past this no longer fit the databases' 64-bit integers ("datatype mismatch" on SQLite,
# "out of range" on PostgreSQL); no listing is that long, so such a page is simply empty.
MAX_OFFSET = 2**62


def bounds(page: int, per_page: int) -> tuple[int, int] | None:
    """The rows [start, stop) of a 1-based page (pages below 1 read as 1); None past any listing."""
    start = (max(1, page) - 1) * per_page
    if start > MAX_OFFSET:
        return None
    return start, start + per_page


class IdsFirstPaginator(Paginator):
    """A Paginator over an ordered QuerySet that fetches each page's ids before its rows.

    `fetch(ids)` loads the rows (with whatever they need prefetched); by default the queryset
    itself, unordered, restricted to those ids.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, fetch: Fetch | None = None):
        super().__init__(object_list, per_page)
        self.fetch = fetch

    def page(self, number: Any) -> Page:
        """The page, its rows in the queryset's order."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = cast(QuerySet[Any], self.object_list)
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        found = self.fetch(ids) if self.fetch else queryset.order_by().filter(pk__in=ids)
        rows = {row.pk: row for row in found}
        return Page([rows[pk] for pk in ids if pk in rows], number, self)


@dataclass(frozen=True)
class Key:
    """One column of a sort order: descending or not, and whether it can be NULL (then last)."""

    field: str
    desc: bool = False
    nullable: bool = False


def encode(values: Sequence[Any]) -> str:
    """A cursor: the sort key of a row, as a short URL-safe string."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, keys: Sequence[Key]) -> list[Any] | None:
    """The sort key in a cursor, or None when it is not one of this order's."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, binascii.Error):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    out: list[Any] = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            if not key.nullable:
                return None
            out.append(None)
        elif key.field in ("id", "pk"):
            if not isinstance(value, int):
                return None
            out.append(value)
        elif not isinstance(value, str):
            return None
        elif key.field in ("created", "last_active_at"):
            when = parse_datetime(value)
            if when is None:
                return None
            out.append(when)
        else:
            out.append(value)
    return out


def beyond(keys: Sequence[Key], values: Sequence[Any], *, backward: bool = False) -> Q:
    """The rows strictly after (or, `backward`, before) this sort key in the order."""
    nothing = Q(pk__in=[])
    condition = nothing
    equal = Q()
    for n, (key, value) in enumerate(zip(keys, values, strict=True)):
        greater = key.desc == backward  # whether we read towards greater values
        if value is None:
            # NULLs come last: nothing follows them in this column, every value precedes them.
            step = Q(**{f"{key.field}__isnull": False}) if backward else nothing
            same = Q(**{f"{key.field}__isnull": True})
        else:
            step = Q(**{f"{key.field}__{'gt' if greater else 'lt'}": value})
            if key.nullable and not backward:
                step |= Q(**{f"{key.field}__isnull": True})
            same = Q(**{key.field: value})
        if n == 0 and value is not None and not key.nullable:
            # A plain range on the leading column as well, so the index is read from there.
            equal = Q(**{f"{key.field}__{'gte' if greater else 'lte'}": value})
        condition |= equal & step
        equal &= same
    return condition


def key_of(row: Any, keys: Sequence[Key]) -> list[Any]:
    """A row's sort key."""
    return [getattr(row, k.field) for k in keys]


@dataclass
class KeysetPage:
    """One page of rows, with the cursors of its neighbours and the total count."""

    object_list: list[Any]
    number: int
    count: int
    per_page: int
    next_cursor: str | None
    previous_cursor: str | None
    # The count is a floor: more rows than `count` (filters.SELECTION_CAP), not counted.
    capped: bool = False

    @property
    def paginator(self) -> KeysetPage:
        """The page itself: it knows the count and pages, as a Django paginator would."""
        return self

    @property
    def num_pages(self) -> int:
        """How many pages; with a capped count, how many it at least has."""
        return max(1, -(-self.count // self.per_page))

    def has_next(self) -> bool:
        return self.next_cursor is not None

    def has_previous(self) -> bool:
        return self.previous_cursor is not None or self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    def start_index(self) -> int:
        return 0 if not self.object_list else (self.number - 1) * self.per_page + 1

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


def _number(value: Any) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else 1


def keyset_page(
    ordered: QuerySet[Any],
    keys: Sequence[Key],
    per_page: int,
    params: Any,
    fetch: Fetch,
    count: int | None = None,
    capped: bool = False,
) -> KeysetPage:
    """The page `params` asks for (`after`, `before`, or an OFFSET `page`) of an ordered set.

    `count`, when the caller knows it already; `capped` when it is only a floor."""
    number = _number(params.get("page"))
    after = decode(params.get("after") or "", keys) if params.get("after") else None
    before = decode(params.get("before") or "", keys) if params.get("before") else None
    # The sort key of each row comes with its id, so that neither end needs another query.
    columns = ["pk", *(k.field for k in keys)]
    total = ordered.count() if count is None else count
    if before is not None:
        earlier = ordered.filter(beyond(keys, before, backward=True)).reverse()
        found = list(earlier.values_list(*columns)[: per_page + 1])
        if len(found) > per_page:
            rows = found[:per_page][::-1]
            more_before = True
        else:
            # Back at the start: show a full first page.
            rows, more_before, number = [], False, 1
            before = None
        if rows:
            ids = [r[0] for r in rows]
            page = _page(rows, ids, number, total, per_page, True, more_before, keys, fetch)
            page.capped = capped
            return page
    if after is not None:
        found = list(ordered.filter(beyond(keys, after)).values_list(*columns)[: per_page + 1])
        number = max(number, 2)
        previous = True
    else:
        if before is None and not params.get("after"):
            start = (number - 1) * per_page if number > 1 else 0
        else:
            start, number = 0, 1
        found = list(ordered.values_list(*columns)[start : start + per_page + 1])
        previous = start > 0
        if start and not found:
            # Past the end (an old link): the first page rather than an empty one.
            number = 1
            found = list(ordered.values_list(*columns)[: per_page + 1])
            previous = False
    more = len(found) > per_page
    rows = found[:per_page]
    ids = [r[0] for r in rows]
    page = _page(rows, ids, number, total, per_page, more, previous, keys, fetch)
    page.capped = capped
    return page


def _page(
    rows: list[tuple[Any, ...]],
    ids: list[int],
    number: int,
    total: int,
    per_page: int,
    more: bool,
    previous: bool,
    keys: Sequence[Key],
    fetch: Fetch,
) -> KeysetPage:
    by_id = {row.pk: row for row in fetch(ids)} if ids else {}
    objects = [by_id[pk] for pk in ids if pk in by_id]
    next_cursor = encode(rows[-1][1:]) if more and rows else None
    previous_cursor = encode(rows[0][1:]) if previous and rows else None
    return KeysetPage(objects, number, total, per_page, next_cursor, previous_cursor)
