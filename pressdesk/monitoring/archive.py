"""The archive: every article collected, searched with the watch-query language.

A draft query is run over stored articles in chunks (streamed, so any size of archive or export
works in bounded memory). Articles kept without full text (no licence) are matched on what is
kept: headline, feed summary and short extract.

The archive page (`search_page`) shows the newest matches only, and must not cost what the
whole archive costs: it asks the full-text index for candidates newest first, a chunk at a
time, lets the matcher decide on each, and stops once the page is full. Ids follow collection
order, nearly: articles are stored as they are collected. Where they do not (an article stored
late, a backdated import), one indexed query finds the few articles that could still belong on
the page, so the page is exactly the newest matches by collection time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import connections
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.functions import Length, Substr

from pressdesk.accounts.models import Organisation
from pressdesk.lib import search as fts
from pressdesk.lib.search.expressions import Matches, PkAnyOf
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.pipeline import EXTRACT_CHARS
from pressdesk.monitoring.query import Document, Matcher, Query, parse
from pressdesk.monitoring.query.nodes import And, Near, Node, Not, Or, Term

CHUNK = 500
# The archive page asks the index for this many candidates first, then twice as many each time
# up to PAGE_CHUNK_MAX: a common word fills a page from the first chunk, a rare one from a few.
PAGE_CHUNK = 100
PAGE_CHUNK_MAX = 3200
# The full-text index of stored articles' search text (SQLite FTS5, PostgreSQL GIN): the
# archive asks it for the articles that can match before the matcher reads them.
ITEMS = fts.TextIndex("monitoring_item", "search_text")
# Beyond this many alternatives ("a OR b" AND "c OR d" is four), a query reads every article.
MAX_ALTERNATIVES = 8
# Added to twice a NEAR's distance when the index is asked for it (see `_needs`).
NEAR_SLACK = 4

Groups = frozenset[tuple[str, ...]]


@dataclass(frozen=True)
class _Phrase:
    """Words an article must contain in a row; the last one a prefix or a whole word."""

    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class _Need:
    """One alternative: phrases all present, and pairs of them within a distance."""

    phrases: frozenset[_Phrase]
    near: frozenset[tuple[_Phrase, _Phrase, int]] = frozenset()

    def __or__(self, other: _Need) -> _Need:
        return _Need(self.phrases | other.phrases, self.near | other.near)

    def query(self) -> fts.Query:
        """The index query for this alternative."""
        phrases = sorted(self.phrases, key=lambda p: (p.words, p.prefix))[: fts.MAX_GROUPS]
        kept = {p.words for p in phrases}
        return fts.Query(
            tuple(dict.fromkeys(p.words for p in phrases)),
            exact=frozenset(p.words for p in phrases if not p.prefix)
            - {p.words for p in phrases if p.prefix},
            near=tuple(
                sorted(
                    (a.words, b.words, distance)
                    for a, b, distance in self.near
                    if a.words in kept and b.words in kept
                )
            ),
        )


def _phrase(node: Term) -> _Phrase | None:
    words = node.words.split()
    if not words:
        return None
    kept = words[: fts.MAX_WORDS_PER_GROUP]
    # A word cut to the index's length is read as a prefix; so is a prefix term's last word,
    # unless the phrase was cut before it.
    cut = len(kept[-1]) > fts.MAX_WORD_LENGTH
    prefix = cut or (node.prefix and len(kept) == len(words))
    return _Phrase(tuple(w[: fts.MAX_WORD_LENGTH] for w in kept), prefix)


def _needs(node: Node) -> list[_Need] | None:
    """What an article must contain for the node to match it, as alternatives; None when
    nothing is required (NOT, filters) or there would be too many alternatives."""
    if isinstance(node, Term):
        phrase = _phrase(node)
        return [_Need(frozenset({phrase}))] if phrase else None
    if isinstance(node, Or):
        options: list[_Need] = []
        for child in node.children:
            found = _needs(child)
            if found is None:
                return None
            options += found
        return options if len(options) <= MAX_ALTERNATIVES else None
    parts: tuple[Node, ...] = ()
    if isinstance(node, Near):
        parts = (node.left, node.right)
    elif isinstance(node, And):
        parts = node.children
    alternatives: list[_Need] | None = None
    for child in parts:
        found = _needs(child)
        if found is None:
            continue
        if alternatives is None:
            alternatives = found
        elif len(alternatives) * len(found) <= MAX_ALTERNATIVES:
            alternatives = [a | b for a in alternatives for b in found]
    if isinstance(node, Near) and isinstance(node.left, Term) and isinstance(node.right, Term):
        left, right = _phrase(node.left), _phrase(node.right)
        if alternatives and left and right:
            # The index counts words as the matcher does (both split lib/text's normal form);
            # twice the distance and more leaves room should a word ever split in two.
            pair = (left, right, 2 * node.distance + NEAR_SLACK)
            alternatives = [a | _Need(frozenset(), frozenset({pair})) for a in alternatives]
    return alternatives


def required(node: Node) -> list[Groups] | None:
    """What an article must contain for the node to match it: alternatives, each a set of
    phrases all present; None when nothing is required (NOT, filters) or too many alternatives.

    Necessary, not sufficient: the matcher still decides. A phrase is cut to the index's words;
    its last word is read as a prefix when it is one (energ*) or was cut.
    """
    found = _needs(node)
    if found is None:
        return None
    return [frozenset(p.words for p in need.phrases) for need in found]


def _prefiltered(items: QuerySet[Item], query: Query, org: Organisation) -> QuerySet[Item]:
    """The articles the full-text index says can match; all of them if it cannot tell."""
    alternatives = _needs(query.root)
    if not alternatives:
        return items
    connection = connections[items.db]
    with connection.cursor() as cursor:
        if not fts.backend(connection).is_installed(cursor, ITEMS):
            return items  # a database not migrated yet: slower, same result
    conditions = [Q(Matches(ITEMS, need.query(), org.pk)) for need in alternatives]
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


@dataclass
class Page:
    """The newest matches of a search, and whether more articles match than are shown."""

    hits: list[Hit]
    more: bool

    @property
    def count(self) -> int:
        """How many match: exactly, or at least this many when `more`."""
        return len(self.hits)


def _newest_first(item: Item) -> tuple[datetime, int]:
    return (item.collected, item.pk)


class _Candidates:
    """Ids of articles that can match, newest first (highest id first), a chunk at a time."""

    def __init__(self, org: Organisation, query: Query, using: str) -> None:
        self.org = org
        self.using = using
        self.alternatives = _needs(query.root)
        self.indexed = False
        self.walk: dict[str, Any] = {}
        if self.alternatives:
            connection = connections[using]
            with connection.cursor() as cursor:
                self.indexed = fts.backend(connection).is_installed(cursor, ITEMS)

    def below(self, before: int | None, limit: int) -> list[int]:
        """Up to `limit` candidate ids under `before`, highest first."""
        if self.indexed and self.alternatives:
            connection = connections[self.using]
            queries = [need.query() for need in self.alternatives]
            with connection.cursor() as cursor:
                return fts.backend(connection).newest(
                    cursor,
                    ITEMS,
                    queries,
                    org_id=self.org.pk,
                    before=before,
                    limit=limit,
                    walk=self.walk,
                )
        # Nothing the index can answer (NOT alone, filters alone): every article is a candidate.
        found = Item.objects.for_org(self.org).using(self.using).filter(stage=Stage.DONE)
        if before is not None:
            found = found.filter(pk__lt=before)
        return list(found.order_by("-pk").values_list("pk", flat=True)[:limit])


def search_page(
    org: Organisation,
    query: Query | str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
) -> Page:
    """The `limit` newest articles matching the query (by collection time), and whether more
    match; QuerySyntaxError for a bad query. Costs what the page costs, not the archive."""
    parsed = parse(query) if isinstance(query, str) else query
    reader = _Reader(org, parsed)
    within = articles(org, since=since, until=until)
    candidates = _Candidates(org, parsed, within.db)
    hits: dict[int, Hit] = {}
    # Dates bound the ids to walk: no article collected before `until` has a higher id than
    # the highest such id, none collected since `since` a lower one than the lowest.
    # (One aggregate each: SQLite answers a lone MIN or MAX from an index, not both at once.)
    before: int | None = None
    floor = 0
    if until:
        highest = within.order_by().aggregate(found=Max("pk"))["found"]
        if highest is None:
            return Page([], more=False)
        before = highest + 1
    if since:
        lowest = within.order_by().aggregate(found=Min("pk"))["found"]
        if lowest is None:
            return Page([], more=False)
        floor = lowest
    read = 0
    chunk = PAGE_CHUNK
    exhausted = False
    # limit + 1 matches tell that there are more than the page shows.
    while len(hits) <= limit:
        ids = [pk for pk in candidates.below(before, chunk) if pk >= floor]
        if not ids:
            exhausted = True
            break
        before = reader.read(hits, within.filter(PkAnyOf(ids)), ids, stop_at=limit + 1)
        read += len(ids)
        # The next chunk: what the hit rate so far says the rest of the page needs, and more.
        rate = max(len(hits), 1) / read
        chunk = min(max(PAGE_CHUNK, int((limit + 1 - len(hits)) / rate * 1.5)), PAGE_CHUNK_MAX)
    ordered = sorted(hits.values(), key=lambda hit: _newest_first(hit.item), reverse=True)
    if not exhausted and before is not None and len(ordered) > limit:
        # Every article not read yet has an id below `before`. Any of them collected no
        # earlier than the last hit kept could belong on the page: read those too.
        last = ordered[limit].item.collected
        # Ids first, from the (org, collected, id) index alone: the filter on stage and dates
        # made PostgreSQL read every newer article's row (90 ms at 1,000,000).
        late = [
            pk
            for pk in Item.objects.for_org(org)
            .using(within.db)
            .filter(pk__lt=before, collected__gte=last)
            .order_by()
            .values_list("pk", flat=True)
            if pk not in hits
        ]
        if late:
            reader.read(hits, within.filter(PkAnyOf(late)))
        ordered = sorted(hits.values(), key=lambda hit: _newest_first(hit.item), reverse=True)
    return Page(ordered[:limit], more=len(ordered) > limit)


def _terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from _terms(node.child)
    elif isinstance(node, Near):
        yield from _terms(node.left)
        yield from _terms(node.right)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _terms(child)


def _has_not(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, Near):
        return _has_not(node.left) or _has_not(node.right)
    if isinstance(node, And | Or):
        return any(_has_not(child) for child in node.children)
    return False


# The columns the archive page shows and the matcher's first read needs: not the full text.
_SHOWN = (
    "org_id",
    "title",
    "author",
    "url",
    "canonical_url",
    "published",
    "collected",
    "language",
    "summary",
    "extract",
    "full_text_kept",
    "outlet__name",
    "outlet__media_type",
)
_HEAD = EXTRACT_CHARS + 20


class _Reader:
    """Runs the matcher over articles, reading the full text only when it can change the answer.

    The first read is the headline, the feed summary and the short extract, which is the start
    of the full text cut at a space (`pipeline.short_extract`). A query without NOT that matches
    there matches the whole article too, at the same offsets; one whose terms all look at the
    headline (title:…) reads nothing else. Any other article is read in full.
    """

    def __init__(self, org: Organisation, query: Query) -> None:
        self.org = org
        self.matcher = Matcher({"q": query})
        terms = list(_terms(query.root))
        self.title_only = bool(terms) and all(t.field == "title" for t in terms)
        self.monotone = not _has_not(query.root)

    def read(
        self,
        hits: dict[int, Hit],
        items: QuerySet[Item],
        order: list[int] | None = None,
        stop_at: int | None = None,
    ) -> int | None:
        """Add the matching items to `hits`, in `order` (ids); with `stop_at`, stop once there
        are that many hits. The lowest id read (None if none)."""
        found = {
            item.pk: item
            for item in items.select_related(None)
            .select_related("outlet")
            .only(*_SHOWN)
            .annotate(text_head=Substr("text", 1, _HEAD), text_length=Length("text"))
        }
        ids = order if order is not None else sorted(found, reverse=True)
        full: list[Item] = []
        lowest: int | None = None
        for pk in ids:
            if stop_at is not None and len(hits) >= stop_at:
                break
            lowest = pk
            item = found.get(pk)
            if item is None:
                continue  # not processed, or outside the dates
            light, complete = self._light(item)
            if complete:
                self._match(hits, item, light)
            elif not (self.monotone and self._match(hits, item, light)):
                full.append(item)
        if full:
            texts = dict(
                Item.objects.for_org(self.org)
                .filter(PkAnyOf([i.pk for i in full]))
                .values_list("pk", "text")
            )
            for article in full:
                article.text = texts.get(article.pk, "")
                self._match(hits, article, document(article))
        return lowest

    def _light(self, item: Item) -> tuple[Document, bool]:
        """The first read of an item, and whether it gives the final answer."""
        outlet = item.outlet
        stored = item.full_text_kept and item.text_length  # type: ignore[attr-defined]
        head: str = item.text_head or ""  # type: ignore[attr-defined]
        if self.title_only:
            text, whole = "", True  # no term reads the text: its answer is the same without it
        elif stored:
            start = (item.extract or "").removesuffix(" …")
            if item.text_length == len(head) and head == start:  # type: ignore[attr-defined]
                text, whole = head, True
            elif head.startswith(start) and head[len(start) : len(start) + 1] == " ":
                text, whole = start, False
            else:
                text, whole = "", False
        else:
            text, whole = "\n\n".join(p for p in (item.summary, item.extract) if p), True
        light = Document(
            text=text,
            title=item.title,
            lang=item.language or None,
            outlet=outlet.name if outlet else "",
            media_type=outlet.media_type if outlet else "",
        )
        return light, whole

    def _match(self, hits: dict[int, Hit], item: Item, doc: Document) -> bool:
        for match in self.matcher.match(doc):
            spans = [
                {"field": s.field, "start": s.start, "end": s.end, "term": s.term}
                for s in match.spans
            ]
            hits[item.pk] = Hit(item, spans, match.explanation)
            return True
        return False


def ensure_installed(using: str = "default", **kwargs: Any) -> None:
    """After migrate: recreate what a table rebuild dropped (SQLite triggers), then reindex."""
    fts.ensure_installed(ITEMS, connections[using])
