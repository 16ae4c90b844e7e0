"""The pipeline of one article: gather its text, tag its language, match, cluster, store, link
the byline and clip. Each article is durable work (docs/decisions/0002-durable-work.md); a bad
article is quarantined with its reason and never stops the worker or its source.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import nh3
from django.db import connections, router, transaction
from django.utils import timezone

from pressdesk.contacts.models import Outlet
from pressdesk.lib import safe_http
from pressdesk.lib.text import search_text, search_words
from pressdesk.monitoring import alerts, bulk, bylines, clustering, explanations
from pressdesk.monitoring import compiled as compiled_queries
from pressdesk.monitoring.models import (
    Clipping,
    Item,
    MonitoringSettings,
    Stage,
)
from pressdesk.monitoring.readers import as_datetime
from pressdesk.work import claims
from pressdesk.work.models import WorkState

logger = logging.getLogger("pressdesk.monitoring")

EXTRACT_CHARS = 300  # "very short extracts" are free to keep; longer ones need a licence
SUMMARY_CHARS = 1000
PASSAGE_CHARS = 160  # context kept either side of a clipping's first match

# Where an article's page comes from: the web (safe_http) or, offline, a map of local files.
PageSource = Callable[[str], tuple[bytes, str] | None]


class Quarantine(Exception):
    """This article cannot go through the pipeline; the reason is kept on it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Article:
    title: str
    author: str
    published: datetime | None
    text: str
    url: str
    canonical_url: str = ""
    language: str = ""
    images: list[str] = field(default_factory=list)


_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|tr)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")
# Replacement characters and control characters other than tab and newline.
_GARBAGE = re.compile("[\ufffd\x00-\x08\x0b-\x1f]")


def html_to_text(fragment: str) -> str:
    """The readable text of an HTML fragment (feed content), paragraphs kept apart."""
    marked = _BLOCK_END.sub("\n\n", fragment or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    text = _SPACES.sub(" ", text)
    return _LINES.sub("\n\n", text).strip()


def fetch_page(url: str) -> tuple[bytes, str] | None:
    """An article's page from the web through safe_http: (body, final URL)."""
    try:
        result = safe_http.fetch(url, accept="text/html,application/xhtml+xml")
    except (safe_http.FetchRefused, safe_http.FetchError) as exc:
        raise Quarantine(f"page not fetched: {getattr(exc, 'reason', exc)}") from exc
    if result.status >= 400:
        raise Quarantine(f"page not fetched: HTTP {result.status}")
    return result.content, result.url


def read_page(body: bytes, url: str, item: Item) -> Article:
    """An article from its page, with trafilatura (through monitoring.extraction)."""
    from pressdesk.monitoring.extraction import Unreadable, extract

    try:
        found = extract(body, url=url, date_wanted=item.published is None)
    except Unreadable as exc:
        raise Quarantine(f"no article found in the page: {exc.reason}") from exc
    canonical = found.url if found.url and found.url != item.url else ""
    return Article(
        title=item.title or found.title or "",
        author=item.author or found.author or "",
        published=item.published or as_datetime(found.date),
        text=found.text or "",
        url=item.url,
        canonical_url=canonical,
        language=found.language or "",
        images=list(found.images or []),
    )


def gather(item: Item, pages: PageSource = fetch_page) -> Article:
    """The article's text: the feed's when complete, else its page's, else the feed summary."""
    payload = item.payload or {}
    if payload.get("html"):  # an HTML file ingested as it is
        return read_page(payload["html"].encode(), item.url, item)
    content = payload.get("content") or ""
    if payload.get("content_is_full") and content.strip():
        return Article(item.title, item.author, item.published, html_to_text(content), item.url)
    try:
        page = pages(item.url)
        if page is not None:
            return read_page(page[0], page[1], item)
    except Quarantine:
        # The page is gone or unreadable: a feed that carried some content still gives an
        # article; one that carried only a teaser does not.
        if not content.strip():
            raise
    text = html_to_text(content or payload.get("summary") or "")
    return Article(item.title, item.author, item.published, text, item.url)


def check_text(article: Article) -> None:
    """Quarantine what is not text a reader could use: nothing, or encoding garbage."""
    text = article.text.strip()
    if not text and not article.title.strip():
        raise Quarantine("no text")
    if text:
        bad = len(_GARBAGE.findall(text))
        if bad / len(text) > 0.05:
            raise Quarantine("encoding garbage: the text is not readable")


def tag_language(article: Article, allowed: list[str]) -> str:
    """The article's language among the organisation's (lingua), or '' if unsure."""
    from pressdesk.monitoring.language import detect

    found = detect(f"{article.title}\n{article.text}", allowed)
    if found:
        return found
    return article.language if article.language in allowed else ""


def find_matches(
    item: Item, article: Article, language: str, compiled: compiled_queries.Compiled | None = None
) -> tuple[list[Any], dict[str, Any]]:
    """Every watch query of the organisation that matches, in one pass; and the queries."""
    from pressdesk.monitoring.query import Document

    compiled = compiled or compiled_queries.for_org(item.org_id)
    outlet = item.outlet
    document = Document(
        text=article.text,
        title=article.title,
        lang=language or None,
        outlet=outlet.name if outlet else "",
        media_type=outlet.media_type if outlet else "",
    )
    return compiled.matcher.match(document), compiled.queries


def passage(article: Article, spans: list[dict[str, Any]]) -> tuple[str, int]:
    """The short passage around the first match in the text (its offset in the text)."""
    in_text = [s for s in spans if s["field"] == "text"]
    if not in_text:
        return "", 0
    start = max(0, in_text[0]["start"] - PASSAGE_CHARS)
    end = min(len(article.text), in_text[0]["end"] + PASSAGE_CHARS)
    return article.text[start:end], start


def clip(
    item: Item, article: Article, matches: list[Any], queries: dict[str, Any]
) -> list[Clipping]:
    """A clipping per matching query, with its spans and explanation; the new ones."""
    known = set(
        Clipping.objects.for_org(item.org_id).filter(item=item).values_list("query_id", flat=True)
    )
    rows = clipping_rows(item, article, matches, queries, known)
    # One INSERT for all: an article can match many queries.
    return Clipping.objects.for_org(item.org_id).bulk_create(rows)


def clipping_rows(
    item: Item, article: Article, matches: list[Any], queries: dict[str, Any], known: set[int]
) -> list[Clipping]:
    """The clippings to create for these matches, leaving out the queries already clipped."""
    rows: list[Clipping] = []
    for found in matches:
        query = queries.get(found.query)
        if query is None or query.pk in known:
            continue
        spans = [
            {"field": s.field, "start": s.start, "end": s.end, "term": s.term} for s in found.spans
        ]
        text, offset = passage(article, spans)
        rows.append(
            Clipping(
                org_id=item.org_id,
                item=item,
                query=query,
                spans=spans,
                explanation=found.explanation,
                reasons=explanations.parse(found.explanation),
                passage=text,
                passage_offset=offset,
            )
        )
    return rows


def settings_of(org_id: int) -> MonitoringSettings:
    """The organisation's monitoring settings (defaults if never saved)."""
    found = MonitoringSettings.objects.for_org(org_id).first()
    return found or MonitoringSettings(org_id=org_id)


def short_extract(text: str) -> str:
    """The first words of a text, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= EXTRACT_CHARS:
        return text
    return text[:EXTRACT_CHARS].rsplit(" ", 1)[0] + " …"


def store(
    item: Item,
    article: Article,
    language: str,
    settings: MonitoringSettings | None = None,
    text_words: list[str] | None = None,
) -> dict[str, Any]:
    """The article's fields to keep, as the organisation's licence allows.

    `text_words`, the text's search words when the caller has them already, saves working
    them out again for the search text.
    """
    keep = (settings or settings_of(item.org_id)).keeps_full_text
    summary = short_summary(item)
    extract = short_extract(article.text)
    if keep and text_words is not None and article.text:
        head = search_text(article.title, summary, extract)
        indexed = " ".join(filter(None, [head, " ".join(text_words)]))
    else:
        indexed = search_text(article.title, summary, extract, article.text if keep else "")
    return {
        "title": article.title[:500],
        "author": article.author[:300],
        "published": article.published,
        "canonical_url": article.canonical_url[:2000],
        "language": language,
        "summary": summary,
        "extract": extract,
        "text": article.text if keep else "",
        "full_text_kept": keep,
        "payload": {},
        "search_text": indexed,
    }


def short_summary(item: Item) -> str:
    """The feed's own summary as plain text, kept short."""
    text = html_to_text((item.payload or {}).get("summary") or "")
    return text[:SUMMARY_CHARS]


@dataclass
class Outcome:
    item_id: int
    stage: str
    reason: str = ""
    clippings: int = 0
    story_id: int | None = None


@dataclass
class Shared:
    """What the articles of one organisation share in a batch: read once, not per article."""

    settings: MonitoringSettings
    compiled: compiled_queries.Compiled

    @classmethod
    def of(cls, org_id: int) -> Shared:
        """The organisation's settings and compiled watch queries, as they are now."""
        return cls(settings_of(org_id), compiled_queries.for_org(org_id))


def analyse(item: Item, article: Article, shared: Shared | None = None) -> Outcome:
    """Language, matching, clustering, storage, byline and clippings, in the caller's
    transaction; the item's claim finishes with them."""
    outcome, rows = _analyse(item, article, shared or Shared.of(item.org_id), known=None)
    created = Clipping.objects.for_org(item.org_id).bulk_create(rows)
    alerts.on_clippings(item, created)
    outcome.clippings = len(created)
    return outcome


def _analyse(
    item: Item,
    article: Article,
    shared: Shared,
    known: set[int] | None,
    bands: clustering.Bands | None = None,
) -> tuple[Outcome, list[Clipping]]:
    """analyse() up to the clippings, which are returned to be written with others."""
    language = tag_language(article, shared.settings.allowed_languages)
    matches, queries = find_matches(item, article, language, shared.compiled)
    words = search_words(article.text or article.title)
    story = clustering.assign(item.org_id, words, article.title, bands, count=True)
    fields = store(item, article, language, shared.settings)
    for name, value in fields.items():
        setattr(item, name, value)
    item.author_contact = bylines.link(item)
    item.story = story
    claims.finish(
        item,
        stage=Stage.DONE,
        story=story,
        author_contact=item.author_contact,
        quarantine_reason="",
        **fields,
    )
    if known is None:
        known = set(
            Clipping.objects.for_org(item.org_id)
            .filter(item=item)
            .values_list("query_id", flat=True)
        )
    rows = clipping_rows(item, article, matches, queries, known)
    return Outcome(item.pk, Stage.DONE, story_id=story.pk), rows


def quarantine(item: Item, reason: str) -> Outcome:
    """Set the article aside with its reason; the payload stays, for a retry."""
    with transaction.atomic():
        claims.finish(item, stage=Stage.QUARANTINED, quarantine_reason=reason[:500])
    return Outcome(item.pk, Stage.QUARANTINED, reason=reason)


def process(item_id: int, pages: PageSource = fetch_page) -> Outcome | None:
    """Claim one article and run it through the pipeline; None if another worker has it."""
    item = claims.claim(Item, item_id)
    if item is None:
        return None
    try:
        article = gather(item, pages)
        check_text(article)
    except Quarantine as exc:
        return quarantine(item, exc.reason)
    except Exception as exc:  # broken input must not take the worker down
        logger.exception("article %s could not be read", item.pk)
        return quarantine(item, f"unreadable: {type(exc).__name__}: {exc}")
    try:
        with transaction.atomic():
            return analyse(item, article)
    except claims.LostClaim:
        return None
    except Exception as exc:
        logger.exception("article %s failed in the pipeline", item.pk)
        return quarantine(item, f"pipeline error: {type(exc).__name__}: {exc}")


def _read(item: Item, pages: PageSource) -> Article | Outcome:
    """The item's article, or the outcome of quarantining it."""
    try:
        article = gather(item, pages)
        check_text(article)
    except Quarantine as exc:
        return quarantine(item, exc.reason)
    except Exception as exc:  # broken input must not take the worker down
        logger.exception("article %s could not be read", item.pk)
        return quarantine(item, f"unreadable: {type(exc).__name__}: {exc}")
    return article


def process_batch(
    org_id: int, item_ids: list[int], pages: PageSource = fetch_page
) -> list[Outcome]:
    """Claim these articles of one organisation at once and run them in one transaction.

    What a poll found goes through together: one claim, the settings and the compiled queries
    read once, then the batch's writes in bulk (stories, bands, the items' finishing UPDATE,
    clippings, alerts) and one commit. Articles that cannot be read are quarantined first, each
    on its own; one that fails in the pipeline is left out of the batch and quarantined after
    it, so a bad article never sinks the others. Articles another worker has are left to it.
    """
    items = claims.claim_batch(Item.objects.for_org(org_id).filter(pk__in=item_ids), len(item_ids))
    outcomes: list[Outcome] = []
    ready: list[tuple[Item, Article]] = []
    for item in items:
        read = _read(item, pages)
        if isinstance(read, Outcome):
            outcomes.append(read)
        else:
            ready.append((item, read))
    if not ready:
        return outcomes
    shared = Shared.of(org_id)
    _load_outlets(org_id, [item for item, _article in ready])
    try:
        with transaction.atomic():
            done, failed = _run_together(org_id, ready, shared)
    except Exception:
        # A write of the batch failed (or a claim was lost): nothing of it stands, and the
        # articles go again one savepoint each, so the culprit sinks alone.
        logger.warning("batch of %s articles retried one by one", len(ready), exc_info=True)
        done, failed = _run_each(org_id, ready, shared)
    outcomes.extend(done)
    outcomes.extend(quarantine(item, reason) for item, reason in failed)
    return outcomes


def _load_outlets(org_id: int, items: list[Item]) -> None:
    """Every item's outlet in one query (matching reads its name and media type)."""
    ids = {item.outlet_id for item in items if item.outlet_id}
    outlets = Outlet.objects.for_org(org_id).in_bulk(list(ids)) if ids else {}
    for item in items:
        if item.outlet_id in outlets:
            item.outlet = outlets[item.outlet_id]


@dataclass
class _Analysed:
    """An article worked out in memory, waiting for the batch's writes."""

    item: Item
    article: Article
    fields: dict[str, Any]
    keys: list[str]
    matches: list[Any]


def _work_out(item: Item, article: Article, shared: Shared) -> _Analysed:
    """Language, matching, band keys and stored fields of one article, in memory."""
    language = tag_language(article, shared.settings.allowed_languages)
    matches, _queries = find_matches(item, article, language, shared.compiled)
    words = search_words(article.text or article.title)
    keys = clustering.band_keys(words)
    fields = store(item, article, language, shared.settings, words if article.text else None)
    for name, value in fields.items():
        setattr(item, name, value)
    return _Analysed(item, article, fields, keys, matches)


def _link_byline(item: Item) -> None:
    """Link the article's byline to a journalist, or suggest one (it writes Byline rows)."""
    if bylines.names(item.author):
        with transaction.atomic():  # a savepoint: a failing byline undoes only its own writes
            item.author_contact = bylines.link(item)
    else:
        item.author_contact = bylines.link(item)


def _run_together(
    org_id: int, ready: list[tuple[Item, Article]], shared: Shared
) -> tuple[list[Outcome], list[tuple[Item, str]]]:
    """The batch with bulk writes, in the caller's transaction; LostClaim if one was lost."""
    failed: list[tuple[Item, str]] = []
    analysed: list[_Analysed] = []
    worked: list[_Analysed] = []
    for item, article in ready:
        try:
            worked.append(_work_out(item, article, shared))
        except Exception as exc:
            logger.exception("article %s failed in the pipeline", item.pk)
            failed.append((item, f"pipeline error: {type(exc).__name__}: {exc}"))
    if not worked:
        return [], failed
    # The clustering lock before the first row lock (bylines), as in _run_each: taken in the
    # other order by two batches, the lock and a shared byline's row would deadlock.
    clustering.serialise(org_id)
    for one in worked:
        try:
            _link_byline(one.item)
        except Exception as exc:
            logger.exception("article %s failed in the pipeline", one.item.pk)
            failed.append((one.item, f"pipeline error: {type(exc).__name__}: {exc}"))
        else:
            analysed.append(one)
    if not analysed:
        return [], failed
    story_ids = clustering.assign_many(org_id, [(a.keys, a.article.title) for a in analysed])
    for one, story_id in zip(analysed, story_ids, strict=True):
        one.item.story_id = story_id
    _finish_done(org_id, analysed)
    known: dict[int, set[int]] = {a.item.pk: set() for a in analysed}
    clipped = Clipping.objects.for_org(org_id).filter(item_id__in=list(known))
    for item_id, query_id in clipped.values_list("item_id", "query_id"):
        known[item_id].add(query_id)
    rows = [
        row
        for a in analysed
        for row in clipping_rows(
            a.item, a.article, a.matches, shared.compiled.queries, known[a.item.pk]
        )
    ]
    bulk.insert(rows)
    by_item: dict[int, list[Clipping]] = {a.item.pk: [] for a in analysed}
    for clipping in rows:
        by_item[clipping.item_id].append(clipping)
    if rows and alerts.has_instant_rules(org_id):
        # Alert mails name their clippings: read back the ids the INSERT gave them.
        ids = Clipping.objects.for_org(org_id).filter(item_id__in=list(by_item))
        found = {(i, q): pk for i, q, pk in ids.values_list("item_id", "query_id", "pk")}
        for clipping in rows:
            clipping.pk = found[(clipping.item_id, clipping.query_id)]
            clipping._state.adding = False
        alerts.on_batch(org_id, [(a.item, by_item[a.item.pk]) for a in analysed])
    done = [
        Outcome(a.item.pk, Stage.DONE, clippings=len(by_item[a.item.pk]), story_id=a.item.story_id)
        for a in analysed
    ]
    return done, failed


# The item fields that differ from article to article in the finishing UPDATE.
_VARYING = (
    "title",
    "author",
    "published",
    "canonical_url",
    "language",
    "summary",
    "extract",
    "text",
    "full_text_kept",
    "search_text",
    "story_id",
    "author_contact_id",
)


def _finish_done(org_id: int, analysed: list[_Analysed]) -> None:
    """Every article of the batch done, with its fields: one conditional UPDATE, sent for all
    rows at once (executemany); LostClaim if one of them is no longer ours.

    The statement is the one claims.finish() sends, scoped by organisation like for_org().
    Django's bulk_update would build a CASE per field and row, which costs more than the
    rest of the batch's writes together.
    """
    connection = connections[router.db_for_write(Item)]
    fields = [bulk.field(Item, name) for name in _VARYING]
    constant: dict[str, Any] = {
        "state": WorkState.DONE,
        "error": "",
        "lease_until": None,
        "finished_at": timezone.now(),
        "stage": Stage.DONE,
        "quarantine_reason": "",
        "payload": {},
    }
    assignments = [f"{bulk.column(Item, name)} = %s" for name in [*constant, *_VARYING]]
    # Names come from the model's own metadata; every value is a parameter.
    where = " AND ".join(
        f"{bulk.column(Item, name)} = %s" for name in ("id", "org", "state", "claimed_by")
    )
    sql = f"UPDATE {bulk.table(Item)} SET {', '.join(assignments)} WHERE {where}"  # noqa: S608
    head = [
        bulk.field(Item, name).get_db_prep_save(value, connection)
        for name, value in constant.items()
    ]
    tail = [org_id, WorkState.CLAIMED, claims.worker_id()]
    rows = [
        [
            *head,
            *(f.get_db_prep_save(getattr(a.item, f.attname), connection) for f in fields),
            a.item.pk,
            *tail,
        ]
        for a in analysed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
        updated = cursor.rowcount
    if updated != len(rows):
        raise claims.LostClaim(f"{len(rows) - updated} of {len(rows)} items")


def _run_each(
    org_id: int, ready: list[tuple[Item, Article]], shared: Shared
) -> tuple[list[Outcome], list[tuple[Item, str]]]:
    """The batch article by article, a savepoint each: the way back when a bulk write failed."""
    failed: list[tuple[Item, str]] = []
    done: list[tuple[Item, Outcome, list[Clipping]]] = []
    outcomes: list[Outcome] = []
    with transaction.atomic():
        # First, before any row lock: the order _run_together keeps too (see there).
        clustering.serialise(org_id)
        known: dict[int, set[int]] = {item.pk: set() for item, _article in ready}
        clipped = Clipping.objects.for_org(org_id).filter(item_id__in=list(known))
        for item_id, query_id in clipped.values_list("item_id", "query_id"):
            known[item_id].add(query_id)
        bands = clustering.Bands()
        for item, article in ready:
            mark = bands.mark()
            try:
                with transaction.atomic():  # a savepoint: only this article's writes undone
                    outcome, rows = _analyse(item, article, shared, known[item.pk], bands)
            except claims.LostClaim:
                bands.undo(mark)
                continue
            except Exception as exc:
                bands.undo(mark)
                logger.exception("article %s failed in the pipeline", item.pk)
                failed.append((item, f"pipeline error: {type(exc).__name__}: {exc}"))
                continue
            done.append((item, outcome, rows))
        bands.flush()
        created = Clipping.objects.for_org(org_id).bulk_create(
            [row for _item, _outcome, rows in done for row in rows]
        )
        by_item: dict[int, list[Clipping]] = {}
        for clipping in created:
            by_item.setdefault(clipping.item_id, []).append(clipping)
        alerts.on_batch(org_id, [(item, by_item.get(item.pk, [])) for item, _o, _r in done])
        for item, outcome, _rows in done:
            outcome.clippings = len(by_item.get(item.pk, []))
            outcomes.append(outcome)
    return outcomes, failed


def process_pending(
    item_id: int, limit: int = 200, pages: PageSource = fetch_page
) -> list[Outcome]:
    """A worker's turn: this article and its organisation's other waiting ones, in one batch.

    Each article has its own wake-up task; the first to run takes the waiting articles with it
    (claim_batch skips those another worker holds), and the later ones find theirs done.
    """
    # all-orgs: a task carries only the row id; the organisation is read from the row
    org_id = Item.objects.filter(pk=item_id).values_list("org_id", flat=True).first()
    if org_id is None:
        return []
    waiting = Item.objects.for_org(org_id).filter(state=WorkState.PENDING).exclude(pk=item_id)
    ids = [item_id, *waiting.order_by("pk").values_list("pk", flat=True)[: limit - 1]]
    return process_batch(org_id, ids, pages)
