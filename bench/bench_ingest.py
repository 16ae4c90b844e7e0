"""Ingest end to end: a feed of full-text articles polled from a loopback server, each article
through the whole pipeline (language, one-pass matching of 200 queries, clustering, storage,
byline, clippings), on a fresh SQLite or PostgreSQL database.

The figure is articles per CPU second of this process (the server runs in a thread, its share is
small: one response for the whole feed). The baseline, in the same run, is reading the same
feed with `parse_feed` alone: the ratio says what the pipeline costs per article beyond parsing.

    .venv/bin/python bench/bench_ingest.py [--items 300] [--postgres] [--json]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta
from xml.sax.saxutils import escape

import harness
from harness import Figure, log, report
from newstext import BRANDS, FIRST, LAST, article

# The issue asks for at least 150 articles per second per core.


def feed(items: int) -> bytes:
    """An RSS feed of generated full-text French and English articles."""
    rng = random.Random(7)
    entries = []
    for n in range(items):
        body = article(rng, 400)
        entries.append(
            f"<item><title>Article {n}</title><link>https://news.example/a/{n}</link>"
            f"<guid>a-{n}</guid><description>{escape(body[:200])}</description>"
            f"<content:encoded>{escape('<p>' + body + '</p>')}</content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title>'
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backend = "postgres" if args.postgres else "sqlite"
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_ingest")):
        from django.conf import settings
        from django.utils import timezone

        from pressdesk.accounts.models import Organisation
        from pressdesk.lib.safe_http.testing import loopback_server
        from pressdesk.monitoring import polling, runner, sources, watch
        from pressdesk.monitoring.feeds import parse_feed
        from pressdesk.monitoring.models import SourcePoll

        settings.MONITORING_HOST_DELAY = 0
        org = Organisation.objects.create(name="Bench", slug="bench")
        # People, as press offices watch them: a name, and a brand with a NOT.
        for n, (first, last) in enumerate((f, la) for f in FIRST for la in LAST):
            if n == 200:
                break
            watch.save(org, f"q{n}", f'"{first} {last}"', aliases=[f"M. {last}"])
        for brand in BRANDS:
            watch.save(org, brand, f'"{brand}" NOT (fruit OR jus)')
        data = feed(args.items)
        started = time.process_time()
        parse_feed(data)
        parse_cpu = time.process_time() - started
        with loopback_server() as server:
            server.route("/feed.xml", body=data)
            source, _ = sources.add(org, server.url("/feed.xml"))
            SourcePoll.objects.filter(source=source).update(
                due_at=timezone.now() - timedelta(seconds=1)
            )
            started = time.process_time()
            lines = list(runner.poll_inline([source]))
            ingest_cpu = time.process_time() - started
        polling.logger.disabled = True
        log(f"{lines[0].new} articles, {lines[0].clippings} clippings")
        report(
            [
                Figure(
                    f"ingest, full-text feed ({backend})",
                    args.items / ingest_cpu,
                    "articles/s",
                    args.items / parse_cpu,
                    "parse_feed alone",
                    backend=backend,
                )
            ],
            args.json,
        )


if __name__ == "__main__":
    main()
