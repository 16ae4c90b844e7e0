"""Matching articles against every watch query of an organisation, in one pass.

The compiled matcher of each organisation is cached in the process and rebuilt when its queries
change (their count or latest update moves). A query that no longer parses is skipped, never
fatal: the editor shows its error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max

from pressdesk.monitoring.models import WatchQuery
from pressdesk.monitoring.query import Matcher, Query, QuerySyntaxError, named_query


@dataclass
class Compiled:
    stamp: tuple[int, datetime | None]
    matcher: Matcher
    queries: dict[str, WatchQuery]


_CACHE: dict[int, Compiled] = {}


def to_query(query: WatchQuery) -> Query:
    """A watch query as the matcher takes it: its expression OR its aliases (QuerySyntaxError)."""
    return named_query(
        query.name,
        query.expression,
        aliases=list(query.aliases),
        case=bool((query.options or {}).get("case")),
        group=query.group.name if query.group_id and query.group else "",
    )


def compile_queries(queries: list[WatchQuery]) -> tuple[Matcher, dict[str, WatchQuery]]:
    """A matcher over these queries (keyed by id) and the queries by the same key."""
    parsed: dict[str, Any] = {}
    by_key: dict[str, WatchQuery] = {}
    for query in queries:
        try:
            parsed[str(query.pk)] = to_query(query)
        except QuerySyntaxError:
            continue
        by_key[str(query.pk)] = query
    return Matcher(parsed), by_key


def for_org(org_id: int) -> Compiled:
    """The organisation's compiled matcher, rebuilt if its queries changed."""
    active = WatchQuery.objects.for_org(org_id).filter(active=True).select_related("group")
    stamp_row = active.aggregate(n=Count("id"), latest=Max("updated"))
    stamp = (stamp_row["n"], stamp_row["latest"])
    cached = _CACHE.get(org_id)
    if cached is None or cached.stamp != stamp:
        matcher, by_key = compile_queries(list(active))
        cached = Compiled(stamp, matcher, by_key)
        _CACHE[org_id] = cached
    return cached
