"""Article extraction speed: pages per second of `extract` against trafilatura alone.

Both read the same pages of the Zyte benchmark (PRESSDESK_CORPUS, default ../shared/data) in the
same process, alternating rounds so that machine load weighs on both alike. The baseline is what
the benchmark itself runs: `trafilatura.extract(html, include_comments=False)`. `extract` adds
metadata (title, byline, date, canonical URL, image), the checks for unreadable pages and the
sanitising of titles.

    .venv/bin/python bench/bench_extract.py [--pages 181] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import time

import harness
import trafilatura
from harness import Figure, log, report

from pressdesk.monitoring.extraction import Unreadable, extract


def pages(limit: int) -> list[tuple[bytes, str | None]]:
    corpus = (harness.ROOT / os.environ.get("PRESSDESK_CORPUS", "../shared/data")).resolve()
    folder = corpus / "articles" / "zyte-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    found = []
    for key, fields in list(truth.items())[:limit]:
        html = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        found.append((html, fields.get("url")))
    return found


def ours(batch: list[tuple[bytes, str | None]]) -> None:
    for html, url in batch:
        with contextlib.suppress(Unreadable):
            extract(html, url)


def theirs(batch: list[tuple[bytes, str | None]]) -> None:
    for html, _url in batch:
        trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=181)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    batch = pages(args.pages)
    log(f"{len(batch)} pages, {args.rounds} rounds")
    ours(batch[:5])
    theirs(batch[:5])  # warm both (lxml, trafilatura's caches)
    spent = {"ours": 0.0, "theirs": 0.0}
    for _ in range(args.rounds):
        for name, run in (("ours", ours), ("theirs", theirs)):
            started = time.process_time()
            run(batch)
            spent[name] += time.process_time() - started
    count = len(batch) * args.rounds
    figure = Figure(
        "extract, pages/s (CPU)",
        count / spent["ours"],
        "p/s",
        count / spent["theirs"],
        "trafilatura.extract alone",
    )
    report([figure], args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
