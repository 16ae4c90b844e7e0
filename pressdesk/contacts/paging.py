"""Pagination that reads a page's ids first, then only those rows.

The ids of page 1,000 come off an index (SQLite covering index, PostgreSQL index-only scan)
without touching 50,000 rows; OFFSET then costs little, and filters given as id lists are
checked against the index entries instead of the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

Fetch = Callable[[Sequence[int]], QuerySet[Any]]

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
