"""Quick search: p50 and p95 of ~200 queries against the whole press file (target p95 ≤ 50 ms).

The queries are what press officers type: last names with and without accents, first and last
names, outlet names ("L'Équipe", "equipe"), beats, the start of an email address, and the first
letters of a name. Each query fetches the first page of results, as the search box does.
Baseline: a primary-key lookup, `Contact.objects.filter(pk=…).exists()`, timed in the same run.

Alone: `.venv/bin/python bench/bench_search.py --contacts 100000 [--postgres] [--json]`.
"""

from __future__ import annotations

import random
import sys

import harness
import targets
from harness import Figure, LoadedFile

QUICK_SEARCH_TARGET_MS = 50.0
PAGE = 25


def pk_lookup_baseline(loaded: LoadedFile) -> float:
    """Median time of a trivial indexed primary-key lookup, in ms."""
    from pressdesk.contacts.models import Contact

    ids = list(Contact.objects.filter(org=loaded.org).values_list("pk", flat=True)[:200])
    rng = random.Random(1)
    return harness.median_ms(lambda: Contact.objects.filter(pk=rng.choice(ids)).exists(), 300)


def queries(loaded: LoadedFile, count: int = 200) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the loaded file, the same for the same file."""
    from pressdesk.lib.text import fold

    rng = random.Random(7)
    people = loaded.dataset.contacts
    outlets = loaded.dataset.outlets
    accented = [c for c in people if c.last_name != fold(c.last_name).title()]
    found: list[tuple[str, str]] = []
    per_kind = count // 8
    for _ in range(per_kind):
        c = rng.choice(accented or people)
        found.append(("name, accents", c.last_name))
        found.append(("name, no accents", fold(c.last_name)))
        c = rng.choice(people)
        found.append(("first and last name", f"{fold(c.first_name)} {c.last_name}"))
        found.append(("outlet", rng.choice(outlets).name))
        found.append(
            (
                "outlet word",
                rng.choice(
                    [
                        "equipe",
                        "L'Équipe",
                        "Ouest-France",
                        "Echos",
                        "telegramme",
                        "Radio",
                        "Hebdo",
                        "podcast",
                    ]
                ),
            )
        )
        found.append(("beat", rng.choice(loaded.dataset.contacts).beats[0]))
        with_email = rng.choice([p for p in people[:2000] if p.emails])
        found.append(("email prefix", with_email.emails[0].split("@")[0][:8].lower()))
        found.append(("name prefix", fold(rng.choice(people).last_name)[:4]))
    return found


def measure(loaded: LoadedFile) -> list[Figure]:
    """The quick-search figures for a loaded file."""
    baseline = pk_lookup_baseline(loaded)
    search = targets.quick_search()
    pairs = queries(loaded)
    hits: list[int] = []

    def call(q: str) -> None:
        hits.append(len(search(loaded.org, q, PAGE)))

    times, cpu = harness.timed([lambda q=q: call(q) for _kind, q in pairs])
    hits = hits[3:]
    by_kind: dict[str, list[float]] = {}
    for (kind, _q), ms in zip(pairs, times, strict=True):
        by_kind.setdefault(kind, []).append(ms)
    slowest = max(by_kind, key=lambda k: harness.percentile(by_kind[k], 95))
    common = {"backend": loaded.backend, "contacts": loaded.contacts}
    return [
        Figure(
            "quick search p50",
            harness.percentile(times, 50),
            "ms",
            baseline,
            "pk lookup",
            None,
            **common,
        ),
        Figure(
            "quick search p95",
            harness.percentile(times, 95),
            "ms",
            baseline,
            "pk lookup",
            QUICK_SEARCH_TARGET_MS,
            **common,
            extra={
                "queries": len(times),
                "cpu_p95": harness.percentile(cpu, 95),
                "no_result": sum(1 for h in hits if h == 0),
                "slowest_kind": slowest,
                "slowest_kind_p95": harness.percentile(by_kind[slowest], 95),
                "impl": targets.describe("quick_search"),
            },
        ),
    ]


if __name__ == "__main__":
    sys.exit(harness.run_script(measure, __doc__.splitlines()[0]))
