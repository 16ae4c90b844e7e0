"""The contact list page rendered by the server (target p95 ≤ 200 ms).

A logged-in director's Django test Client GETs the contact list (`contacts:list`): page 1, a
deep page, a filtered page (beat and region) and a quick-search page. The whole request is timed:
middleware, session, queries, template rendering. Baseline: `/health/`, a trivial view, timed in
the same run through the same Client.

Alone: `.venv/bin/python bench/bench_list_page.py --contacts 100000 [--postgres] [--json]`.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import urlencode

import harness
import targets
from bench_filter import SEGMENT, segment_params
from harness import Figure, LoadedFile

PAGE_TARGET_MS = 200.0


def measure(loaded: LoadedFile, repeat: int = 40) -> list[Figure]:
    """The list-page figures for a loaded file."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(loaded.user)
    health = client.get("/health/")
    assert health.status_code == 200, health.status_code
    baseline = harness.median_ms(lambda: client.get("/health/"), 100)

    url = reverse("contacts:list", kwargs={"org_slug": loaded.org.slug})
    deep = max(1, loaded.contacts // targets.list_page_size() // 2)
    filters = segment_params(loaded, *SEGMENT)
    pages = {
        "list page 1": {},
        f"list deep page by Next link ({deep})": targets.list_deep_page_params(loaded.org, deep),
        f"list deep page by ?page= ({deep})": {"page": str(deep)},
        "list filtered (beat+region)": filters,
        "list quick search": {"q": "lefevre"},
    }
    figures: list[Figure] = []
    all_times: list[float] = []
    for name, params in pages.items():
        full = f"{url}?{urlencode(params, doseq=True)}" if params else url
        first: Any = client.get(full)
        if first.status_code != 200:
            raise RuntimeError(f"GET {full} answered {first.status_code}")
        times, cpu = harness.timed([lambda full=full: client.get(full)] * repeat)
        all_times += times
        figures.append(
            Figure(
                f"{name} p95",
                harness.percentile(times, 95),
                "ms",
                baseline,
                "/health/",
                PAGE_TARGET_MS,
                loaded.backend,
                loaded.contacts,
                extra={
                    "p50": harness.percentile(times, 50),
                    "cpu_p95": harness.percentile(cpu, 95),
                    "bytes": len(first.content),
                },
            )
        )
    figures.insert(
        0,
        Figure(
            "list page, all kinds p95",
            harness.percentile(all_times, 95),
            "ms",
            baseline,
            "/health/",
            PAGE_TARGET_MS,
            loaded.backend,
            loaded.contacts,
            extra={"requests": len(all_times)},
        ),
    )
    return figures


if __name__ == "__main__":
    sys.exit(harness.run_script(measure, __doc__.splitlines()[0]))
