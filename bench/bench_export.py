"""CSV export of the whole press file (target ≤ 20 s at 100,000 contacts).

The app's export writes every contact of the organisation to a CSV file. Baseline: writing the
same number of rows, with the same columns, from a list already in memory with csv.writer, in the
same process: the floor of any export.

Alone: `.venv/bin/python bench/bench_export.py --contacts 100000 [--postgres] [--json]`.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path

import generate
import harness
import targets
from harness import Figure, LoadedFile

EXPORT_TARGET_S = 20.0


def write_baseline(loaded: LoadedFile, path: Path) -> float:
    """Seconds to write the generated rows from a list with csv.writer."""
    rows = list(generate.csv_rows(loaded.dataset))
    started = time.perf_counter()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return time.perf_counter() - started


def measure(loaded: LoadedFile) -> list[Figure]:
    """The export figure for a loaded file."""
    workdir = Path(tempfile.mkdtemp(prefix="pressdesk-bench-export-"))
    try:
        baseline = write_baseline(loaded, workdir / "baseline.csv")
        export = targets.run_export()
        output = workdir / "export.csv"
        started, started_cpu = time.perf_counter(), harness.cpu_ms()
        export(loaded.org, loaded.user, output)
        seconds = time.perf_counter() - started
        cpu = (harness.cpu_ms() - started_cpu) / 1000
        with output.open(encoding="utf-8-sig", newline="") as handle:
            lines = sum(1 for _ in csv.reader(handle, delimiter=targets.export_delimiter(output)))
        size = output.stat().st_size
    finally:
        for file in workdir.iterdir():
            file.unlink()
        workdir.rmdir()
    return [
        Figure(
            "CSV export",
            seconds,
            "s",
            baseline,
            "csv.writer from a list",
            EXPORT_TARGET_S,
            loaded.backend,
            loaded.contacts,
            extra={
                "cpu_s": cpu,
                "rows": lines - 1,
                "megabytes": size / 1e6,
                "impl": targets.describe("export"),
            },
        ),
    ]


if __name__ == "__main__":
    sys.exit(harness.run_script(measure, __doc__.splitlines()[0]))
