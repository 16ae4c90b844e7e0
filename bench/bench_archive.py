"""Archive search latency: watch-query searches over many stored articles (p50 and p95).

Loading. Articles are generated from a few thousand French and English news texts
(bench/newstext.py, 150 to 450 words each, full text kept) under varied headlines, and written
in bulk: SQLite by `executemany` in one transaction, PostgreSQL by COPY. The full-text index is
dropped first and built once at the end (FTS5 'rebuild'; on PostgreSQL the stored tsvector
column and its GIN index), which is what makes 1,000,000 articles a matter of minutes. Ids follow
collection order, as the pipeline stores them, with collection times jittered by a few minutes
so that some neighbours are out of order, as a poll's batch can be.

    BENCH_KEEP=label .venv/bin/python bench/bench_archive.py [--items 200000] [--postgres]

BENCH_KEEP=label keeps the loaded database (SQLite under $TMPDIR/pressdesk_bench_keep/, or the
PostgreSQL database pressdesk_keep_archive_<label>_<size>) for later runs with the same label
and size, which migrate it and measure again without loading.

Measuring. Each query runs as the archive page runs it, `archive.search_page(org, q,
limit=50)`, and is timed in elapsed time (what a user waits) and in CPU time (this process plus,
on PostgreSQL, its server process). Queries: people with an alias, brands with a NOT, a brand
with a name, a prefix, a phrase NEAR a word, a case-sensitive brand, a field, and a name found
nowhere. The baseline, in the same run, is one `COUNT(*)` of the organisation's processed
articles.

Target (issue 10): p95 at most 200 ms over 200,000 articles on SQLite, 1,000,000 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import harness
from harness import BenchDatabase, Figure, cpu_ms, log, percentile, report
from newstext import BRANDS, ENGLISH, FIRST, LAST, PLACES, article

TARGET_MS = 200.0
QUERIES = [
    ("name with alias", f'"{FIRST[0]} {LAST[0]}" OR "M. {LAST[0]}"'),
    ("name with alias", f'"{FIRST[3]} {LAST[5]}" OR "Mme {LAST[5]}"'),
    ("brand NOT", f'"{BRANDS[0]}" NOT (fruit OR jus)'),
    ("brand AND name", f'"{BRANDS[2]}" AND {LAST[1]}'),
    ("prefix", "énerg*"),
    ("NEAR", f'"{FIRST[1]} {LAST[2]}" NEAR/10 {BRANDS[5]}'),
    ("case", f'case:"{BRANDS[0]}" AND {PLACES[1]}'),
    ("field", f"title:{BRANDS[7]} AND lang:fr"),
    ("nowhere", '"Kergalubo Mirasetu"'),
]
BODIES = 3000
BATCH = 5000
# Seconds between two articles' collection: 1,000,000 articles span about a year.
STEP = 30
HEADLINES_FR = [
    "{person} et {brand} : ce qui change à {place}",
    "{brand} annonce un plan à {place}, selon {person}",
    "À {place}, {person} répond à {brand}",
    "{person} quitte {brand}",
]
HEADLINES_EN = [
    "{brand} and {person}: what changes in {place}",
    "{person} leaves {brand}",
    "{brand} plans a site in {place}, {person} says",
]
ENGLISH_WORDS = frozenset(ENGLISH[:20])


@dataclass
class Body:
    """A generated article body and what the loader stores from it, worked out once."""

    text: str
    language: str
    summary: str
    extract: str
    indexed_full: str  # search words of the full text (kept under a licence)
    indexed_short: str  # search words of the summary and extract (the default)


def _bodies(rng: random.Random) -> list[Body]:
    """The generated bodies the articles are made of."""
    from pressdesk.lib.text import search_text
    from pressdesk.monitoring.pipeline import short_extract

    found = []
    for _ in range(BODIES):
        text = article(rng, rng.randint(150, 450))
        words = text.lower().split()[:60]
        english = sum(w in ENGLISH_WORDS for w in words) > 6
        # A feed's summary: the opening, about forty words.
        summary = " ".join(text.split()[:40]) + " …"
        extract = short_extract(text)
        found.append(
            Body(
                text=text,
                language="en" if english else "fr",
                summary=summary,
                extract=extract,
                indexed_full=search_text(extract, text),
                indexed_short=search_text(summary, extract),
            )
        )
    return found


def _rows(
    org_id: int, outlet_ids: list[int], items: int, full_text: float, postgres: bool
) -> Iterator[tuple[Any, ...]]:
    """One tuple per article, oldest first, in `VARYING` order; `full_text` of them with their
    full text kept (a licence), the others with headline, summary and extract only."""
    from django.db import connection

    from pressdesk.lib.text import search_text

    rng = random.Random(7)
    bodies = _bodies(rng)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    adapt = connection.ops.adapt_datetimefield_value
    people = [f"{first} {last}" for first in FIRST for last in LAST]
    indexed_titles: dict[str, str] = {}
    for number in range(items):
        body = bodies[rng.randrange(BODIES)]
        pattern = rng.choice(HEADLINES_EN if body.language == "en" else HEADLINES_FR)
        title = pattern.format(
            person=rng.choice(people), brand=rng.choice(BRANDS), place=rng.choice(PLACES)
        )
        indexed_title = indexed_titles.get(title)
        if indexed_title is None:
            indexed_title = indexed_titles[title] = search_text(title)
        collected = start + timedelta(seconds=number * STEP + rng.randint(-4 * STEP, 4 * STEP))
        published = collected - timedelta(minutes=rng.randint(5, 600))
        when: list[Any] = [collected, published]
        if not postgres:
            when = [adapt(value) for value in (collected, published)]
        kept = rng.random() < full_text
        yield (
            org_id,
            rng.choice(outlet_ids),
            f"https://news.example/{number}",
            f"{number:040d}",
            title,
            rng.choice(people),
            when[1],
            body.language,
            "" if kept else body.summary,
            body.extract,
            body.text if kept else "",
            kept,
            f"{indexed_title} {body.indexed_full if kept else body.indexed_short}",
            when[0],
            when[0],
        )


VARYING = [
    "org_id",
    "outlet_id",
    "url",
    "url_key",
    "title",
    "author",
    "published",
    "language",
    "summary",
    "extract",
    "text",
    "full_text_kept",
    "search_text",
    "collected",
    "queued_at",
]


def _columns() -> tuple[list[str], tuple]:
    """Every column of the item table but the id: the varying ones, then fixed defaults."""
    from django.db import connection

    from pressdesk.monitoring.models import Item, Stage
    from pressdesk.work.models import WorkState

    template = Item(stage=Stage.DONE, state=WorkState.DONE)
    fixed_columns: list[str] = []
    fixed_values: list[Any] = []
    for field in Item._meta.concrete_fields:
        if field.primary_key or field.column in VARYING:
            continue
        fixed_columns.append(str(field.column))
        value = field.get_db_prep_save(getattr(template, field.attname), connection)
        if field.column == "payload" and connection.vendor == "postgresql":
            value = "{}"  # COPY reads JSON as text
        fixed_values.append(value)
    return [*VARYING, *fixed_columns], tuple(fixed_values)


def load(org_id: int, items: int, full_text: float) -> dict[str, float]:
    """Store `items` processed articles in bulk, then build the full-text index once."""
    from django.db import connection, transaction

    from pressdesk.contacts.models import Outlet
    from pressdesk.contacts.models.outlets import MediaType
    from pressdesk.lib import search
    from pressdesk.monitoring import archive

    kinds = [MediaType.DAILY, MediaType.REGIONAL_DAILY, MediaType.WEB, MediaType.RADIO]
    outlet_ids = [
        Outlet.objects.create(org_id=org_id, name=f"Outlet {n}", media_type=kinds[n % 4]).pk
        for n in range(40)
    ]
    postgres = connection.vendor == "postgresql"
    columns, fixed = _columns()
    stats: dict[str, float] = {"full_text": full_text}
    started = time.perf_counter()
    engine = search.backend(connection)
    with connection.cursor() as cursor:
        # Indexing row by row is what made loading slow: SQLite loses its FTS table and triggers
        # until the end; PostgreSQL keeps its stored tsvector column (computed as COPY writes
        # each row, rather than rewriting the table afterwards) but loses the GIN index.
        if postgres:
            cursor.execute("DROP INDEX IF EXISTS monitoring_item_fts_vector")
        else:
            engine.uninstall(cursor, archive.ITEMS)
    names = ", ".join(columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            raw = cursor.cursor
            with raw.copy(f"COPY monitoring_item ({names}) FROM STDIN") as copy:
                for number, row in enumerate(_rows(org_id, outlet_ids, items, full_text, True)):
                    copy.write_row(row + fixed)
                    if number % 100_000 == 0:
                        log(f"  {number:,} rows")
        else:
            sql = f"INSERT INTO monitoring_item ({names}) VALUES ({', '.join('?' * len(columns))})"
            raw = cursor.cursor
            batch: list[tuple] = []
            for row in _rows(org_id, outlet_ids, items, full_text, False):
                batch.append(row + fixed)
                if len(batch) == BATCH:
                    raw.executemany(sql, batch)
                    batch = []
            raw.executemany(sql, batch)
    stats["insert_seconds"] = time.perf_counter() - started
    log(f"{items:,} rows written in {stats['insert_seconds']:.0f} s; indexing")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET maintenance_work_mem = '1GB'")
    search.ensure_installed(archive.ITEMS, connection)
    stats["index_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
    stats["analyse_seconds"] = time.perf_counter() - started
    log(f"indexed in {stats['index_seconds']:.0f} s, analysed in {stats['analyse_seconds']:.0f} s")
    return stats


def _kept_database(
    label: str, backend: str, items: int, full_text: float
) -> tuple[BenchDatabase, bool]:
    """The database kept under this label and size, and whether it is already loaded."""
    tag = f"archive_{label}_{backend}_{items}_{round(full_text * 100)}"
    var_dir = Path(tempfile.gettempdir()) / "pressdesk_bench_keep" / tag
    db = BenchDatabase(backend, f"pressdesk_keep_{tag}", var_dir)
    loaded = (var_dir / "loaded.json").exists()
    if not loaded:
        db.create()
    return db, loaded


def _setup(db: BenchDatabase) -> None:
    os.environ.update(db.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    db.migrate()


def measure(org: Any, queries: list[tuple[str, str]], rounds: int) -> dict[str, Any]:
    """Wall and CPU time of each query over `rounds` rounds, and the COUNT(*) baseline."""
    from pressdesk.monitoring import archive
    from pressdesk.monitoring.models import Item, Stage

    def count() -> int:
        return Item.objects.for_org(org).filter(stage=Stage.DONE).count()

    count()
    base_wall, base_cpu = [], []
    for _ in range(5):
        cpu, wall = cpu_ms(), time.perf_counter()
        count()
        base_wall.append((time.perf_counter() - wall) * 1000)
        base_cpu.append(cpu_ms() - cpu)
    for _kind, query in queries:  # warm-up: the first search pays for imports and caches
        archive.search_page(org, query, limit=50)
    per_kind: dict[str, dict[str, list[float]]] = {}
    walls: list[float] = []
    cpus: list[float] = []
    loads: list[float] = []
    for _ in range(rounds):
        for kind, query in queries:
            cpu, wall = cpu_ms(), time.perf_counter()
            page = archive.search_page(org, query, limit=50)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append(cpu_ms() - cpu)
            loads.append(os.getloadavg()[0])
            entry = per_kind.setdefault(f"{kind}: {query}", {"wall": [], "cpu": []})
            entry["wall"].append(walls[-1])
            entry["cpu"].append(cpus[-1])
            more = "more than " if page.more else ""
            log(f"{query}: {more}{page.count} hits, {walls[-1]:.0f} ms, {cpus[-1]:.0f} ms CPU")
    return {
        "walls": walls,
        "cpus": cpus,
        "count_wall": sorted(base_wall)[2],
        "count_cpu": sorted(base_cpu)[2],
        "per_kind": per_kind,
        "load": (min(loads), max(loads)),
    }


def main() -> None:
    """Load (or reuse), search, time, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--full-text",
        type=float,
        default=1.0,
        help="share of articles stored with their full text (a licence); the others keep "
        "headline, summary and extract, the default without one",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    keep = os.environ.get("BENCH_KEEP", "")
    if keep:
        db, loaded = _kept_database(keep, backend, args.items, args.full_text)
        _setup(db)
        results = _run(db, args, loaded)
    else:
        with harness.django_on(harness.new_database(backend, "pressdesk_bench_archive")) as db:
            results = _run(db, args, False)
    _report(results, args, backend)


def _run(db: BenchDatabase, args: argparse.Namespace, loaded: bool) -> dict[str, Any]:
    from pressdesk.accounts.models import Organisation

    marker = db.var_dir / "loaded.json"
    if loaded:
        org = Organisation.objects.get(slug="bench")
        stats = json.loads(marker.read_text())
        log(f"reusing {args.items:,} articles kept in {db.name} ({db.var_dir})")
    else:
        org = Organisation.objects.create(name="Bench", slug="bench")
        started = time.perf_counter()
        stats = load(org.pk, args.items, args.full_text)
        stats["load_seconds"] = time.perf_counter() - started
        log(f"{args.items:,} articles stored and indexed in {stats['load_seconds']:.0f} s")
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps(stats))
    return {**measure(org, QUERIES, args.rounds), "stats": stats}


def _report(results: dict[str, Any], args: argparse.Namespace, backend: str) -> None:
    baseline = "COUNT(*) of the articles"
    low, high = results["load"]
    figures = [
        Figure(
            f"archive p95 {args.items} ({backend}), elapsed",
            percentile(results["walls"], 95),
            "ms",
            results["count_wall"],
            baseline,
            target=TARGET_MS,
            extra={"load": f"{low:.1f}-{high:.1f}"},
            backend=backend,
        ),
        Figure(
            f"archive p95 {args.items} ({backend}), CPU",
            percentile(results["cpus"], 95),
            "ms",
            results["count_cpu"],
            baseline,
            target=TARGET_MS,
            backend=backend,
        ),
        Figure(
            f"archive p50 {args.items} ({backend}), elapsed",
            percentile(results["walls"], 50),
            "ms",
            results["count_wall"],
            baseline,
            backend=backend,
        ),
    ]
    for kind, times in results["per_kind"].items():
        figures.append(
            Figure(
                kind,
                percentile(times["wall"], 95),
                "ms",
                results["count_wall"],
                baseline,
                extra={"cpu_p95": percentile(times["cpu"], 95)},
                backend=backend,
            )
        )
    log(f"load: {json.dumps(results['stats'])}")
    report(figures, args.json)


if __name__ == "__main__":
    main()
