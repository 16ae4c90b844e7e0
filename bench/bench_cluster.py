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
    of as many articles. CPU time (this process's, plus on PostgreSQL the server process's) and
    wall time, with the figures of every 10,000 articles (does a batch cost more as the table
    grows?). The stories the database gives must group the articles exactly as the in-memory
    clustering does: the run fails otherwise.

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
from harness import Figure, cpu_ms, log, report
from newstext import article

TARGET_SECONDS = 90.0
BATCH = 200  # articles a batch, as runner.BATCH
STEP = 10_000  # articles between two progress lines


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


def _grouping(stories: list[int]) -> list[int]:
    """Each article's story renumbered by first appearance, to compare two clusterings."""
    numbers: dict[int, int] = {}
    return [numbers.setdefault(story, len(numbers)) for story in stories]


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
        in_memory: list[int] = []
        started = time.process_time()
        for words in articles:
            keys = clustering.band_keys(words)
            hits = Counter(
                story for band in enumerate(keys) if (story := index.get(band)) is not None
            )
            if hits:
                in_memory.append(hits.most_common(1)[0][0])
            else:
                stories += 1
                in_memory.append(stories)
                for band in enumerate(keys):
                    index[band] = stories
        cluster_seconds = time.process_time() - started
        log(f"{stories} stories for {len(articles)} articles")

        org = Organisation.objects.create(name="Bench", slug="bench")
        sample = articles[: args.db_articles]
        from django.db import transaction

        load = _load()
        wall = time.perf_counter()
        started = cpu_ms()
        step_wall, step_cpu = wall, started
        chosen: list[int] = []
        for start in range(0, len(sample), BATCH):
            with transaction.atomic():
                # As pipeline.process_batch runs it: band keys per article, then the batch's
                # lookup and writes at once.
                batch = [(clustering.band_keys(w), "Bench") for w in sample[start : start + BATCH]]
                chosen += clustering.assign_many(org.pk, batch)
            if len(chosen) % STEP == 0 or len(chosen) == len(sample):
                now_wall, now_cpu = time.perf_counter(), cpu_ms()
                log(
                    f"  articles to {len(chosen)}: {(now_cpu - step_cpu) / 1000:.1f} s CPU,"
                    f" {now_wall - step_wall:.1f} s wall, load {_load()}"
                )
                step_wall, step_cpu = now_wall, now_cpu
        db_seconds = (cpu_ms() - started) / 1000
        db_wall = time.perf_counter() - wall
        log(
            f"{len(chosen)} articles through clustering.assign_many ({backend}): {db_seconds:.1f} s"
            f" CPU, {db_wall:.1f} s wall, load {load} → {_load()}"
        )
        from pressdesk.monitoring.models import Story

        db_stories = Story.objects.for_org(org).count()
        log(f"{db_stories} stories in the database ({stories} in memory for the same articles)")
        if _grouping(chosen) != _grouping(in_memory[: len(chosen)]):
            raise SystemExit("the database's stories group the articles unlike the in-memory ones")
        log("the database's stories group the articles as the in-memory clustering does")
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
