"""Clustering 100,000 articles into stories: rensa MinHash and LSH bands, as the pipeline does.

Articles are made from generated French and English news text (bench/newstext.py): each is
three 100-word windows of random base articles, and one in five is a near copy of a recent one
(three words changed), as wire copy republished by several outlets is. Two figures, CPU time of
this process:
  - the clustering itself for all articles: `clustering.band_keys` (3-shingles, 128-permutation
    MinHash, 16 band hashes) and the LSH lookup that picks the story (an in-memory index of
    (band, key) → story, the same rule as `clustering.assign`); the baseline is rensa's
    RMinHash update and digest alone on the same shingles;
  - the pipeline's path through the database for --db-articles of them (all by default): band
    keys per article, then `clustering.assign_many` per batch of 200 in a transaction, as
    `pipeline.process_batch` runs it (SQLite, or --postgres); baseline the in-memory clustering
    of as many articles. CPU and wall time.

    .venv/bin/python bench/bench_cluster.py [--articles 100000] [--db-articles 100000] [--postgres]

Target (issue 10): 100,000 articles in at most 90 s.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Iterator

import harness
from harness import Figure, log, report
from newstext import article

TARGET_SECONDS = 90.0
BATCH = 200  # articles a batch, as runner.BATCH


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return loadavg.read().split()[0]


def word_lists(count: int, seed: int = 7) -> Iterator[list[str]]:
    """count articles as normalised words; one in five a near copy of a recent one."""
    from pressdesk.lib.text import search_words

    rng = random.Random(seed)
    bases = [search_words(article(rng, 400)) for _ in range(500)]
    recent: list[list[str]] = []
    for _ in range(count):
        if recent and rng.random() < 0.2:
            words = list(rng.choice(recent))
            for _change in range(3):
                words[rng.randrange(len(words))] = rng.choice(bases[0])
        else:
            words = []
            for _window in range(3):
                base = rng.choice(bases)
                start = rng.randrange(max(1, len(base) - 100))
                words += base[start : start + 100]
        recent.append(words)
        if len(recent) > 1000:
            recent.pop(0)
        yield words


def main() -> None:
    """Generate, cluster, time, print."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db-articles", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_cluster")):
        from rensa import RMinHash

        from pressdesk.accounts.models import Organisation
        from pressdesk.monitoring import clustering

        started = time.process_time()
        articles = list(word_lists(args.articles))
        log(f"{len(articles)} articles generated in {time.process_time() - started:.1f} s")

        started = time.process_time()
        for words in articles:
            signature = RMinHash(num_perm=clustering.NUM_PERM, seed=clustering.SEED)
            signature.update(clustering.shingles(words))
            signature.digest()
        rensa_seconds = time.process_time() - started

        index: dict[tuple[int, str], int] = {}
        stories = 0
        started = time.process_time()
        for words in articles:
            keys = clustering.band_keys(words)
            hits = Counter(
                story for band in enumerate(keys) if (story := index.get(band)) is not None
            )
            if not hits:
                stories += 1
                for band in enumerate(keys):
                    index[band] = stories
        cluster_seconds = time.process_time() - started
        log(f"{stories} stories for {len(articles)} articles")

        org = Organisation.objects.create(name="Bench", slug="bench")
        sample = articles[: args.db_articles]
        from django.db import transaction

        load = _load()
        wall = time.perf_counter()
        started = time.process_time()
        stored = 0
        for start in range(0, len(sample), BATCH):
            with transaction.atomic():
                # As pipeline.process_batch runs it: band keys per article, then the batch's
                # lookup and writes at once.
                batch = [(clustering.band_keys(w), "Bench") for w in sample[start : start + BATCH]]
                stored += len(clustering.assign_many(org.pk, batch))
        db_seconds = time.process_time() - started
        db_wall = time.perf_counter() - wall
        log(
            f"{stored} articles through clustering.assign_many ({backend}): {db_seconds:.1f} s"
            f" CPU, {db_wall:.1f} s wall, load {load} → {_load()}"
        )
        from pressdesk.monitoring.models import Story

        db_stories = Story.objects.for_org(org).count()
        log(f"{db_stories} stories in the database ({stories} in memory for the same articles)")
    report(
        [
            Figure(
                f"clustering {len(articles)} articles (band_keys + LSH lookup), CPU",
                cluster_seconds,
                "s",
                rensa_seconds,
                "rensa MinHash alone",
                target=TARGET_SECONDS * len(articles) / 100_000,
            ),
            Figure(
                f"clustering {len(sample)} articles through the database ({backend}), CPU",
                db_seconds,
                "s",
                cluster_seconds * len(sample) / len(articles),
                "in-memory clustering of as many",
                target=TARGET_SECONDS * len(sample) / 100_000,
                backend=backend,
                extra={"wall s": db_wall, "ms an article": db_seconds / len(sample) * 1000},
            ),
        ],
        args.json,
    )


if __name__ == "__main__":
    main()
