"""Filtered search plus count on a segment of ~10,000 contacts (target p95 ≤ 100 ms).

The segment is "beat économie, region Île-de-France": ~9,600 of the 100,000 generated contacts
(the app also counts contacts whose outlet is in the region; the measured count is printed).
Each measured call does what the filtered list does: count the segment (the app's count, capped
past its `SELECTION_CAP`; a capped count is printed negative) and fetch its first page, sorted by
name. Other segments are timed too, in turns, so that no single
cached plan flatters the figure. Baseline: a primary-key lookup timed in the same run.

Alone: `.venv/bin/python bench/bench_filter.py --contacts 100000 [--postgres] [--json]`.
"""

from __future__ import annotations

import sys
from typing import Any

import harness
import targets
from bench_search import pk_lookup_baseline
from harness import Figure, LoadedFile

FILTER_TARGET_MS = 100.0
PAGE = 50
SEGMENT = ("économie", "Île-de-France")
OTHER_SEGMENTS = [("énergie", "Bretagne"), ("politique", "Île-de-France"), ("santé", "Occitanie")]


def segment_params(loaded: LoadedFile, beat: str, region: str) -> dict[str, Any]:
    """The filter parameters for one beat in one region."""
    from pressdesk.contacts.models import Beat

    found = Beat.objects.get(org=loaded.org, name=beat)
    return targets.list_filter_params(found.pk, beat, region)


def measure(loaded: LoadedFile, repeat: int = 100) -> list[Figure]:
    """The filtered-search figures for a loaded file."""
    baseline = pk_lookup_baseline(loaded)
    search = targets.filtered_search()
    main = segment_params(loaded, *SEGMENT)
    others = [segment_params(loaded, *s) for s in OTHER_SEGMENTS]
    sizes: list[int] = []

    def call(params: dict[str, Any]) -> None:
        count, capped, _page = search(loaded.org, params, PAGE)
        sizes.append(-count if capped else count)

    main_times, cpu = harness.timed([lambda: call(main)] * repeat)
    segment_size = sizes[-1]
    other_times = harness.time_each([lambda p=p: call(p) for p in others] * (repeat // 5))
    common = {"backend": loaded.backend, "contacts": loaded.contacts}
    return [
        Figure(
            "filtered search+count p50",
            harness.percentile(main_times, 50),
            "ms",
            baseline,
            "pk lookup",
            None,
            **common,
        ),
        Figure(
            "filtered search+count p95",
            harness.percentile(main_times, 95),
            "ms",
            baseline,
            "pk lookup",
            FILTER_TARGET_MS,
            **common,
            extra={
                "segment": segment_size,
                "calls": len(main_times),
                "cpu_p95": harness.percentile(cpu, 95),
                "other_segments_p95": harness.percentile(other_times, 95),
                "impl": targets.describe("filtered_search"),
            },
        ),
    ]


if __name__ == "__main__":
    sys.exit(harness.run_script(measure, __doc__.splitlines()[0]))
