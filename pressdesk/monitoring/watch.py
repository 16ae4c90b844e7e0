"""Watch queries: saving them (checked first) and trying a draft before saving."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import archive
from pressdesk.monitoring.compiled import to_query
from pressdesk.monitoring.models import QueryGroup, WatchQuery
from pressdesk.monitoring.query import Query


def clean_aliases(aliases: list[str]) -> list[str]:
    """Aliases trimmed, without blanks or repeats."""
    seen: list[str] = []
    for alias in aliases:
        alias = " ".join(str(alias).split())
        if alias and alias not in seen:
            seen.append(alias)
    return seen


def draft(expression: str, aliases: list[str] | None = None) -> Query:
    """A draft query with its aliases; QuerySyntaxError (position and hint) if it is bad."""
    probe = WatchQuery(name="draft", expression=expression, aliases=clean_aliases(aliases or []))
    return to_query(probe)


@transaction.atomic
def save(
    org: Organisation,
    name: str,
    expression: str,
    *,
    group: str = "",
    aliases: list[str] | None = None,
    options: dict[str, Any] | None = None,
    user: Any = None,
    query: WatchQuery | None = None,
) -> WatchQuery:
    """Create (or update) a watch query after checking its syntax."""
    aliases = clean_aliases(aliases or [])
    draft(expression, aliases)
    query_group = (
        QueryGroup.objects.for_org(org).get_or_create(name=group.strip())[0]
        if group.strip()
        else None
    )
    if query is None:
        query = WatchQuery(org=org, created_by=user)
    query.name = name.strip()[:200]
    query.expression = expression
    query.aliases = aliases
    query.group = query_group
    if options is not None:
        query.options = options
    query.save()
    return query


def preview(
    org: Organisation, expression: str, aliases: list[str] | None = None, *, limit: int = 20
) -> list[archive.Hit]:
    """What a draft query would have caught in the archive (QuerySyntaxError if it is bad)."""
    return list(archive.search(org, draft(expression, aliases), limit=limit))
