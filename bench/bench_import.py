"""CSV import of the whole generated file, with duplicate detection (≤ 90 s, peak RSS ≤ 600 MB).

The file is written as Excel saves it (`;`, UTF-8 with BOM, French headers; `--encoding cp1252`
for the older Excel). It holds the duplicates of a real file: ~3% of rows are a person entered
again with the email in another case, ~3% share a desk address. A fresh database is created and
migrated, then a fresh child process imports the file through the app's import and reports its
own wall time and peak RSS (VmHWM, which ru_maxrss would equal but for the RSS that Linux
carries over from the forking parent; both are reported): Django and the
organisation are set up before the clock starts. Baseline: merely parsing the same file with the
csv module, in this process.

Alone: `.venv/bin/python bench/bench_import.py --contacts 100000 [--postgres] [--json]`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import generate
import harness
import targets
from harness import Figure

IMPORT_TARGET_S = 90.0
MEMORY_TARGET_MB = 600.0


def parse_baseline(path: Path, encoding: str) -> float:
    """Seconds to merely read the file with the csv module: the floor of any import."""
    started = time.perf_counter()
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows
    return time.perf_counter() - started


def _proc_status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB (VmHWM: peak RSS).

    `getrusage(RUSAGE_SELF).ru_maxrss` is not used as the figure: Linux carries the RSS of the
    process that forked this one over the exec, so a child of a worker holding a loaded file
    would report the worker's size. VmHWM belongs to this program's memory only.
    """
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: Path) -> int:
    """In a fresh process: import the file into a fresh organisation, print time and peak RSS."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    org, user = harness.org_and_user("import")
    run_import = targets.run_import()
    rss_before = _proc_status_mb("VmHWM")
    started_cpu = harness.cpu_ms()
    started = time.perf_counter()
    summary = run_import(path, org, user)
    seconds = time.perf_counter() - started
    cpu = (harness.cpu_ms() - started_cpu) / 1000
    peak = _proc_status_mb("VmHWM")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from pressdesk.contacts.models import Contact

    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_s": cpu,
                "peak_rss_mb": peak,
                "rss_before_mb": rss_before,
                "ru_maxrss_mb": maxrss,
                "contacts_after": Contact.objects.filter(org=org).count(),
                "summary": summary,
                "impl": targets.describe("import"),
            },
            default=str,
        )
    )
    return 0


def measure_import(
    backend: str, contacts: int, outlets: int, encoding: str = "utf-8-sig"
) -> list[Figure]:
    """Write the file, import it in a fresh process on a fresh database, return the figures."""
    workdir = Path(tempfile.mkdtemp(prefix="pressdesk-bench-import-"))
    path = workdir / f"contacts-{contacts}.csv"
    dataset = generate.generate(contacts, outlets)
    generate.write_csv(dataset, path, encoding)
    rows = len(dataset.contacts)
    del dataset
    baseline = parse_baseline(path, encoding)
    db = harness.new_database(backend, "pressdesk_bench_import")
    try:
        db.create()
        db.migrate(in_process=False)
        harness.log(f"[{backend} {contacts:,}] importing {rows:,} rows in a child process")
        result = harness.run_child(__file__, [str(path)], db)
    finally:
        db.drop()
        path.unlink(missing_ok=True)
        workdir.rmdir()
    info = {
        "rows": rows,
        "cpu_s": result["cpu_s"],
        "contacts_after": result["contacts_after"],
        "impl": result["impl"],
        "encoding": encoding,
    }
    info.update({k: v for k, v in (result["summary"] or {}).items() if isinstance(v, int)})
    return [
        Figure(
            "CSV import",
            result["seconds"],
            "s",
            baseline,
            "csv.reader parse",
            IMPORT_TARGET_S,
            backend,
            contacts,
            extra=info,
        ),
        Figure(
            "CSV import peak RSS",
            result["peak_rss_mb"],
            "MB",
            result["rss_before_mb"],
            "RSS before import",
            MEMORY_TARGET_MB,
            backend,
            contacts,
            extra={"ru_maxrss_mb": result.get("ru_maxrss_mb", float("nan"))},
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the import benchmark, or (with --child) be the process that imports."""
    parser = harness.common_arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0]))
    parser.add_argument("--encoding", choices=["utf-8-sig", "cp1252"], default="utf-8-sig")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child)
    backend = "postgres" if args.postgres else "sqlite"
    figures = measure_import(backend, args.contacts, args.outlets, args.encoding)
    harness.report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
