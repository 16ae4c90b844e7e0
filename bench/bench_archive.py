"""Archive search latency: watch-query searches over many stored articles (p50 and p95).

Articles are stored with bulk_create (processed, full text kept, search text filled) from 1,000
generated French and English news texts (bench/newstext.py) under varied headlines. Each query
runs as the archive page runs it, `archive.search(org, q, limit=50)` read to the end, and is
timed in elapsed time (what a user waits) and in CPU time of this process. Queries: people with
an alias, brands with a NOT, a prefix, and a name found nowhere (the whole archive read).
The baseline, in the same run, is one `COUNT(*)` of the organisation's processed articles.

    .venv/bin/python bench/bench_archive.py [--items 200000] [--postgres] [--json]

Target (issue 10): p95 at most 200 ms over 200,000 articles on SQLite, 1,000,000 on PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import time

import harness
from harness import Figure, log, percentile, report
from newstext import BRANDS, FIRST, LAST, article

TARGET_MS = 200.0
QUERIES = [
    f'"{FIRST[0]} {LAST[0]}" OR "M. {LAST[0]}"',
    f'"{FIRST[3]} {LAST[5]}" OR "Mme {LAST[5]}"',
    f'"{BRANDS[0]}" NOT (fruit OR jus)',
    f'"{BRANDS[2]}" AND {LAST[1]}',
    "énerg*",
    '"Kergalubo Mirasetu"',  # in no article: the whole archive is read
]


def load(org_id: int, items: int) -> None:
    """Store `items` processed articles, 5,000 at a time."""
    from django.utils import timezone

    from pressdesk.lib.text import search_text
    from pressdesk.monitoring.models import Item, Stage
    from pressdesk.work.models import WorkState

    rng = random.Random(7)
    bodies = [article(rng, 350) for _ in range(1000)]
    indexed = [search_text(body) for body in bodies]
    now = timezone.now()
    for start in range(0, items, 5000):
        rows = []
        for number in range(start, min(items, start + 5000)):
            body = rng.randrange(len(bodies))
            title = f"{rng.choice(FIRST)} {rng.choice(LAST)} et {rng.choice(BRANDS)} ({number})"
            rows.append(
                Item(
                    org_id=org_id,
                    url=f"https://news.example/{number}",
                    url_key=f"{number:040d}",
                    title=title,
                    text=bodies[body],
                    full_text_kept=True,
                    extract=bodies[body][:300],
                    search_text=f"{search_text(title)} {indexed[body]}",
                    stage=Stage.DONE,
                    state=WorkState.DONE,
                    collected=now - timezone.timedelta(minutes=number),
                )
            )
        Item.objects.bulk_create(rows)


def main() -> None:
    """Load, search, time, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_archive")):
        from pressdesk.accounts.models import Organisation
        from pressdesk.monitoring import archive
        from pressdesk.monitoring.models import Item, Stage

        org = Organisation.objects.create(name="Bench", slug="bench")
        started = time.perf_counter()
        load(org.pk, args.items)
        log(f"{args.items} articles stored in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        Item.objects.for_org(org).filter(stage=Stage.DONE).count()
        count_ms = (time.perf_counter() - started) * 1000
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(args.rounds):
            for query in QUERIES:
                wall, cpu = time.perf_counter(), time.process_time()
                hits = len(list(archive.search(org, query, limit=50)))
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                log(f"{query}: {hits} hits, {walls[-1]:.0f} ms")
    report(
        [
            Figure(
                f"archive search p95 over {args.items} articles ({backend}), elapsed",
                percentile(walls, 95),
                "ms",
                count_ms,
                "COUNT(*) of the articles",
                target=TARGET_MS,
                backend=backend,
            ),
            Figure(
                f"archive search p50 over {args.items} articles ({backend}), elapsed",
                percentile(walls, 50),
                "ms",
                count_ms,
                "COUNT(*) of the articles",
                backend=backend,
            ),
            Figure(
                f"archive search p95 over {args.items} articles ({backend}), CPU",
                percentile(cpus, 95),
                "ms",
                count_ms,
                "COUNT(*) of the articles",
                backend=backend,
            ),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
