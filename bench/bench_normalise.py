"""How fast monitoring's matching form is made (pressdesk.lib.text), against str.casefold.

    .venv/bin/python bench/bench_normalise.py            # 50 MB of generated news text
    .venv/bin/python bench/bench_normalise.py --mb 5     # a quick run

Figures are MB/s of UTF-8 input on one core, in CPU time of this process and in elapsed (wall)
time, each with its ratio to str.casefold over the same
articles in the same process (casefold does a fraction of the work, but it is the floor any
Python normalisation is measured against). Target: 50 MB/s for the matching form.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import newstext  # noqa: E402

from pressdesk.lib.text import normalise, normalise_mapped, normalise_with_offsets  # noqa: E402


def rate(function: Callable[[str], object], articles: list[str], size: int) -> dict[str, float]:
    """MB/s of function over the articles in CPU and in wall time, best of two passes each."""
    best = [float("inf"), float("inf")]
    for _ in range(2):
        cpu, wall = newstext.timed(lambda: [function(text) for text in articles])
        best = [min(best[0], cpu), min(best[1], wall)]
    return {"cpu": size / best[0] / 1e6, "wall": size / best[1] / 1e6}


def main() -> None:
    """Generate, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    newstext.add_common_arguments(parser)
    args = parser.parse_args()
    load_before = newstext.load()
    articles = newstext.articles(int(args.mb * 1e6))
    size = sum(len(text.encode()) for text in articles)
    baseline = rate(str.casefold, articles, size)
    figures = {
        "normalise_mapped (form; map deferred until read)": rate(normalise_mapped, articles, size),
        "normalise_mapped, then its map worked out (a matched article)": rate(
            lambda text: normalise_mapped(text)[1].stretches(), articles, size
        ),
        "normalise_mapped(deferred=False): form and map (the matcher)": rate(
            lambda text: normalise_mapped(text, deferred=False), articles, size
        ),
        "normalise_with_offsets (offsets as list[int])": rate(
            normalise_with_offsets, articles, size
        ),
        "normalise (the press file's form, no offsets)": rate(normalise, articles, size),
    }
    load_after = newstext.load()
    if args.json:
        print(
            json.dumps(
                {
                    "mb": size / 1e6,
                    "load_before": load_before,
                    "load_after": load_after,
                    "casefold": baseline,
                    **figures,
                }
            )
        )
        return
    print(
        f"{size / 1e6:.1f} MB in {len(articles)} articles; load {load_before} before, "
        f"{load_after} after; str.casefold {baseline['cpu']:.1f} MB/s CPU, "
        f"{baseline['wall']:.1f} wall"
    )
    print(f"  {'MB/s':64} {'CPU':>7} {'wall':>7}  ratio to casefold (CPU; wall)")
    for name, value in figures.items():
        print(
            f"  {name:64} {value['cpu']:7.1f} {value['wall']:7.1f}  "
            f"×{value['cpu'] / baseline['cpu']:.2f}; ×{value['wall'] / baseline['wall']:.2f}"
        )


if __name__ == "__main__":
    main()
