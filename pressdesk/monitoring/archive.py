"""The archive: every article collected, searched with the watch-query language.

A draft query is run over stored articles in chunks (streamed, so any size of archive or export
works in bounded memory). Articles kept without full text (no licence) are matched on what is
kept: headline, feed summary and short extract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from pressdesk.accounts.models import Organisation
from pressdesk.lib import search as fts
from pressdesk.lib.search.expressions import Matches
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.query import Document, Matcher, Query, parse
from pressdesk.monitoring.query.nodes import And, Near, Node, Or, Term

CHUNK = 500
# The full-text index of stored articles' search text (SQLite FTS5, PostgreSQL GIN): the
# archive asks it for the articles that can match before the matcher reads them.
ITEMS = fts.TextIndex("monitoring_item", "search_text")
# Beyond this many alternatives ("a OR b" AND "c OR d" is four), a query reads every article.
MAX_ALTERNATIVES = 8

Groups = frozenset[tuple[str, ...]]


def required(node: Node) -> list[Groups] | None:
    """What an article must contain for the node to match it: alternatives, each a set of
    phrases all present; None when nothing is required (NOT, filters) or too many alternatives.

    Necessary, not sufficient: the matcher still decides. A phrase is cut to the index's words
    and its last word read as a prefix, which only widens what the index returns.
    """
    if isinstance(node, Term):
        words = tuple(w[: fts.MAX_WORD_LENGTH] for w in node.words.split())
        return [frozenset({words[: fts.MAX_WORDS_PER_GROUP]})] if words else None
    if isinstance(node, Or):
        options: list[Groups] = []
        for child in node.children:
            found = required(child)
            if found is None:
                return None
            options += found
        return options if len(options) <= MAX_ALTERNATIVES else None
    parts: tuple[Node, ...] = ()
    if isinstance(node, Near):
        parts = (node.left, node.right)
    elif isinstance(node, And):
        parts = node.children
    alternatives: list[Groups] | None = None
    for child in parts:
        found = required(child)
        if found is None:
            continue
        if alternatives is None:
            alternatives = found
        elif len(alternatives) * len(found) <= MAX_ALTERNATIVES:
            alternatives = [a | b for a in alternatives for b in found]
    return alternatives


def _prefiltered(items: QuerySet[Item], query: Query, org: Organisation) -> QuerySet[Item]:
    """The articles the full-text index says can match; all of them if it cannot tell."""
    alternatives = required(query.root)
    if not alternatives:
        return items
    connection = connections[items.db]
    with connection.cursor() as cursor:
        if not fts.backend(connection).is_installed(cursor, ITEMS):
            return items  # a database not migrated yet: slower, same result
    conditions = [
        Q(Matches(ITEMS, fts.Query(tuple(sorted(groups))[: fts.MAX_GROUPS]), org.pk))
        for groups in alternatives
    ]
    return items.filter(reduce(or_, conditions))


def stored_text(item: Item) -> str:
    """The text kept for an article: full text under a licence, else summary and extract."""
    if item.full_text_kept and item.text:
        return item.text
    return "\n\n".join(part for part in (item.summary, item.extract) if part)


def document(item: Item) -> Document:
    """A stored article as the matcher reads it."""
    outlet = item.outlet
    return Document(
        text=stored_text(item),
        title=item.title,
        lang=item.language or None,
        outlet=outlet.name if outlet else "",
        media_type=outlet.media_type if outlet else "",
    )


@dataclass
class Hit:
    item: Item
    spans: list[dict[str, Any]]
    explanation: str


def articles(
    org: Organisation, *, since: datetime | None = None, until: datetime | None = None
) -> QuerySet[Item]:
    """The organisation's processed articles, newest first, optionally within dates."""
    found = Item.objects.for_org(org).filter(stage=Stage.DONE).select_related("outlet", "source")
    if since:
        found = found.filter(collected__gte=since)
    if until:
        found = found.filter(collected__lt=until)
    return found.order_by("-collected", "-id")


def search(
    org: Organisation,
    query: Query | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> Iterator[Hit]:
    """Stored articles matching the query, newest first; QuerySyntaxError for a bad one."""
    parsed = parse(query) if isinstance(query, str) else query
    matcher = Matcher({"q": parsed})
    found = 0
    candidates = _prefiltered(articles(org, since=since, until=until), parsed, org)
    for item in candidates.iterator(chunk_size=CHUNK):
        for match in matcher.match(document(item)):
            spans = [
                {"field": s.field, "start": s.start, "end": s.end, "term": s.term}
                for s in match.spans
            ]
            yield Hit(item, spans, match.explanation)
            found += 1
            break
        if limit is not None and found >= limit:
            return


def ensure_installed(using: str = "default", **kwargs: Any) -> None:
    """After migrate: recreate what a table rebuild dropped (SQLite triggers), then reindex."""
    fts.ensure_installed(ITEMS, connections[using])
