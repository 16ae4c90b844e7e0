"""Pressdesk's benchmarks: `make bench` runs this.

For each database backend and each size (10,000 then 100,000 contacts by default), a fresh
worker process creates its own database, loads a generated press file (bench/generate.py), and
measures quick search, filtered search plus count, the contact list page, CSV export and CSV
import. Every figure is printed with its ratio against a baseline timed in the same process, and
the summary shows how each figure grows from the smallest size to the largest.

    .venv/bin/python bench/run.py                   # SQLite, 10k and 100k
    .venv/bin/python bench/run.py --postgres        # PostgreSQL, 10k and 100k
    .venv/bin/python bench/run.py --both            # both backends
    .venv/bin/python bench/run.py --quick           # 10k only
    .venv/bin/python bench/run.py --contacts 50000 --only search,filter --json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import traceback
from typing import Any

import harness
import targets
from harness import Figure

BENCHES = ["search", "filter", "list", "write", "export", "import"]
SIZES = [10_000, 100_000]


def measure_after_write(loaded: Any, repeat: int = 20) -> list[Figure]:
    """List pages requested right after a contact's region changed, each time: nothing cached
    from before the change may be shown, so every count is taken again or kept up to date.

    Page 1 shows the whole file's counts; the filtered page (the `list` bench's segment)
    counts its selection's values again, as when someone ticks a new box."""
    from urllib.parse import urlencode

    from bench_filter import SEGMENT, segment_params
    from django.test import Client
    from django.urls import reverse

    from pressdesk.contacts import editing
    from pressdesk.contacts.models import Contact

    client = Client()
    client.force_login(loaded.user)
    baseline = harness.median_ms(lambda: client.get("/health/"), 100)
    url = reverse("contacts:list", kwargs={"org_slug": loaded.org.slug})
    contact = Contact.objects.for_org(loaded.org).order_by("pk").first()
    regions = ["Corse", "Bretagne"]
    pages = {
        "list page 1, first request after a write": url,
        "list filtered, first request after a write": (
            f"{url}?{urlencode(segment_params(loaded, *SEGMENT), doseq=True)}"
        ),
    }
    figures = []
    for name, page in pages.items():
        assert client.get(page).status_code == 200
        wall, cpu = [], []
        for turn in range(repeat):
            editing.save_contact(loaded.org, contact, {"region": regions[turn % 2]}, by=None)
            times, cpus = harness.timed([lambda page=page: client.get(page)], warmup=0)
            wall += times
            cpu += cpus
        figures.append(
            Figure(
                f"{name} p95",
                harness.percentile(wall, 95),
                "ms",
                baseline,
                "/health/",
                200.0,
                loaded.backend,
                loaded.contacts,
                extra={
                    "p50": harness.percentile(wall, 50),
                    "cpu_p95": harness.percentile(cpu, 95),
                    "cpu_p50": harness.percentile(cpu, 50),
                    "writes": repeat,
                },
            )
        )
    return figures


def outlets_for(contacts: int) -> int:
    """Outlets in proportion to contacts: 5,000 for 100,000, as a national press file."""
    return max(50, contacts // 20)


def worker(args: argparse.Namespace) -> int:
    """One backend, one size, in this process: load once, measure, print JSON."""
    import bench_export
    import bench_filter
    import bench_import
    import bench_list_page
    import bench_search

    measures = {
        "search": bench_search.measure,
        "filter": bench_filter.measure,
        "list": bench_list_page.measure,
        "export": bench_export.measure,
        "write": measure_after_write,
    }
    backend = "postgres" if args.postgres else "sqlite"
    out: dict[str, Any] = {
        "figures": [],
        "errors": [],
        "load": {},
        "loadavg_start": os.getloadavg()[0],
    }
    wanted = [b for b in args.only if b in measures]
    if wanted:
        with harness.loaded_file(
            args.contacts, args.outlets, args.postgres, args.replicate
        ) as loaded:
            out["load"] = loaded.load_stats
            if args.replicate > 1:
                from pressdesk.contacts import facets

                # The copy in SQL wrote facet values without their whole-file counts.
                facets.rebuild_totals(loaded.org)
            for name in wanted:
                harness.log(f"[{backend} {args.contacts:,}] measuring {name}")
                try:
                    figures = measures[name](loaded)
                except targets.Missing as missing:
                    out["errors"].append(f"{name}: {missing}")
                    continue
                except Exception:
                    out["errors"].append(f"{name}: {traceback.format_exc(limit=3)}")
                    continue
                for figure in figures:
                    harness.log("  " + figure.line())
                out["figures"] += [f.as_dict() for f in figures]
    if "import" in args.only:
        harness.log(f"[{backend} {args.contacts:,}] measuring import")
        try:
            figures = bench_import.measure_import(backend, args.contacts, args.outlets)
            for figure in figures:
                harness.log("  " + figure.line())
            out["figures"] += [f.as_dict() for f in figures]
        except targets.Missing as missing:
            out["errors"].append(f"import: {missing}")
        except Exception:
            out["errors"].append(f"import: {traceback.format_exc(limit=3)}")
    out["loadavg_end"] = os.getloadavg()[0]
    print(json.dumps(out, ensure_ascii=False, default=str))
    return 0


def run_worker(
    backend: str, contacts: int, outlets: int, only: list[str], copies: int = 1
) -> dict[str, Any]:
    """Run one worker process and return what it measured."""
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--replicate",
        str(copies),
        "--contacts",
        str(contacts),
        "--outlets",
        str(outlets),
        "--only",
        ",".join(only),
    ]
    if backend == "postgres":
        command.append("--postgres")
    done = subprocess.run(
        command,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    if done.returncode != 0 or not done.stdout.strip():
        return {
            "figures": [],
            "load": {},
            "errors": [f"worker {backend} {contacts} exited with {done.returncode}"],
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def _figure(data: dict[str, Any]) -> Figure:
    keep = {k: v for k, v in data.items() if k not in ("ratio", "met")}
    return Figure(**keep)


def summary(results: dict[tuple[str, int], dict[str, Any]]) -> str:
    """The figures of every run as a Markdown table, with their growth across sizes."""
    lines = []
    backends = sorted({b for b, _n in results})
    sizes = sorted({n for _b, n in results})
    head = " | ".join(f"{n:,}" for n in sizes)
    for backend in backends:
        lines += [
            f"\n### {backend}\n",
            f"| figure | {head} | growth | ratio to baseline (largest) | target | met |",
            "|---" * (len(sizes) + 5) + "|",
        ]
        names: list[str] = []
        by: dict[tuple[str, int], Figure] = {}
        for n in sizes:
            for data in results.get((backend, n), {}).get("figures", []):
                figure = _figure(data)
                generic = figure.name.split(" (")[0]
                if generic not in names:
                    names.append(generic)
                by[(generic, n)] = figure
        for name in names:
            cells, present = [], [by[(name, n)] for n in sizes if (name, n) in by]
            for n in sizes:
                f = by.get((name, n))
                cpu = f.extra.get("cpu_p95", f.extra.get("cpu_s")) if f else None
                cell = f"{f.value:.2f} {f.unit}" if f else "–"
                cells.append(f"{cell} (CPU {cpu:.2f})" if cpu is not None else cell)
            first, last = present[0], present[-1]
            growth = f"×{last.value / first.value:.1f}" if len(present) > 1 and first.value else ""
            target = f"≤ {last.target:g} {last.unit}" if last.target is not None else ""
            met = "" if last.met is None else ("yes" if last.met else "**no**")
            lines.append(
                f"| {name} | {' | '.join(cells)} | {growth} | "
                f"{last.ratio:.1f} × {last.baseline_label} | {target} | {met} |"
            )
        for n in sizes:
            run = results.get((backend, n), {})
            if "loadavg_start" in run:
                lines.append(
                    f"\nMachine load average during the {n:,} run: "
                    f"{run['loadavg_start']:.1f} at start, {run['loadavg_end']:.1f} at end."
                )
            load = run.get("load")
            if load:
                lines.append(
                    f"\nLoad of {n:,} contacts: {load['total_seconds']:.0f} s "
                    f"(bulk inserts {load['insert_seconds']:.0f} s, search text and "
                    f"index {load['search_index_seconds']:.0f} s)."
                )
                if load.get("copies", 1) > 1:
                    lines.append(
                        f"\nThose {n // load['copies']:,} contacts loaded through the app, then "
                        f"copied ×{load['copies']} in SQL in {load['replicate_seconds']:.0f} s "
                        f"(bench/replicate.py); ANALYZE {load['analyse_seconds']:.0f} s."
                    )
            for error in results.get((backend, n), {}).get("errors", []):
                lines.append(f"\n{backend} {n:,}: not measured: {error.strip()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, help="one size only (default: 10,000 and 100,000)")
    parser.add_argument("--outlets", type=int, help="outlets (default: contacts / 20)")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--both", action="store_true", help="SQLite and PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="10,000 contacts only")
    parser.add_argument(
        "--only", default=",".join(BENCHES), help=f"comma-separated subset of {','.join(BENCHES)}"
    )
    parser.add_argument(
        "--replicate",
        type=int,
        default=1,
        help="load contacts / N through the app, then copy them N times in SQL",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(args.only) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {BENCHES}")
    if args.worker:
        args.outlets = args.outlets or outlets_for(args.contacts)
        return worker(args)

    sizes = [args.contacts] if args.contacts else ([SIZES[0]] if args.quick else SIZES)
    backends = (
        ["sqlite", "postgres"] if args.both else (["postgres"] if args.postgres else ["sqlite"])
    )
    results: dict[tuple[str, int], dict[str, Any]] = {}
    started = time.perf_counter()
    for backend in backends:
        for n in sizes:
            outlets = args.outlets or outlets_for(n)
            harness.log(
                f"== {backend}, {n:,} contacts, {outlets:,} outlets: {', '.join(args.only)}"
            )
            results[(backend, n)] = run_worker(backend, n, outlets, args.only, args.replicate)
    if args.json:
        print(
            json.dumps(
                [{"backend": b, "contacts": n, **r} for (b, n), r in results.items()],
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
    else:
        print(summary(results))
        print(
            f"\n(total {time.perf_counter() - started:.0f} s; Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
