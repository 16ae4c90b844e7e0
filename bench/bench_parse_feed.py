"""Feed reading speed: items per second of `parse_feed` against feedparser alone.

Both read the 31 real feeds of the rss-parser corpus (PRESSDESK_CORPUS, default ../shared/data)
in the same process. `parse_feed` adds the defusedxml pass, nh3 sanitising of every field, links
and images, and the full-text test.

    .venv/bin/python bench/bench_parse_feed.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import io
import os
import time

import feedparser
import harness
from harness import Figure, log, report

from pressdesk.monitoring.feeds import parse_feed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpus = (harness.ROOT / os.environ.get("PRESSDESK_CORPUS", "../shared/data")).resolve()
    folder = corpus / "feeds" / "rss-parser"
    feeds = [
        p.read_bytes() for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".source")
    ]  # fmt: skip
    items = sum(len(parse_feed(data).items) for data in feeds)
    log(f"{len(feeds)} feeds, {items} items, {args.rounds} rounds")
    spent = {"ours": 0.0, "theirs": 0.0}
    for _ in range(args.rounds):
        started = time.process_time()
        for data in feeds:
            parse_feed(data)
        spent["ours"] += time.process_time() - started
        started = time.process_time()
        for data in feeds:
            feedparser.parse(io.BytesIO(data))
        spent["theirs"] += time.process_time() - started
    count = items * args.rounds
    figure = Figure(
        "parse_feed, items/s (CPU)",
        count / spent["ours"],
        "i/s",
        count / spent["theirs"],
        "feedparser.parse alone",
    )
    report([figure], args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
