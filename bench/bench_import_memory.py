"""Peak memory of an import whatever the file's size (target: peak RSS ≤ 300 MB).

Three cases, each in a fresh child process on a fresh, migrated database, reporting its own peak
RSS (VmHWM from /proc/self/status):
- `worker`: a wide CSV (192,000 rows, about 50 MB: long notes, accents, curly apostrophes) read
  from disk as the background worker reads an uploaded file, dry run then import;
- `upload`: the same file handed over as bytes, as a small web upload is;
- `cli-limit`: a 780,000-row file (names and addresses, under the 50 MB size limit) through
  `pressdesk contacts import`, which must refuse it for its row limit (200,000) early, holding
  no row in memory.
Baseline: the peak RSS of the same child once Django is set up, before the import.

Alone: `.venv/bin/python bench/bench_import_memory.py [--rows 192000]
[--only worker,upload,cli-limit] [--postgres] [--json]`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import harness
from harness import Figure

MEMORY_TARGET_MB = 300.0
CASES = ("worker", "upload", "cli-limit")
_FIRST = ["Hélène", "Marie", "Paul", "Jürgen", "Amélie", "Léa", "Chloé", "Émilie", "Zoé", "Noël"]
_LAST = ["Lefèvre", "Dupont", "Martin", "Müller", "Rousseau", "Petit", "Durand", "Moreau", "Faure"]
_NOTE = "Suit l’éolien en mer et le nucléaire, préfère être appelé le matin. " * 2


def write_wide_csv(path: Path, rows: int) -> None:
    """About 255 bytes a row, as a CRM export with notes: 192,000 rows make 50 MB."""
    rng = random.Random(1)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("Prénom;Nom;Média;Fonction;Email;Téléphone;Rubrique;Tags;Pays;Notes\r\n")
        for n in range(rows):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            out.write(
                f"{first};{last} {n};Média n°{rng.randrange(3000)};Journaliste;"
                f"p{n}.{n % 7}@example.fr;06 12 34 {n % 100:02d} {n // 100 % 100:02d};"
                f"Énergie;VIP;FR;{_NOTE}\r\n"
            )


def write_narrow_csv(path: Path, rows: int) -> None:
    """Names and addresses only, about 45 bytes a row: 780,000 rows stay under the 50 MB limit."""
    rng = random.Random(2)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("Prénom;Nom;Email\r\n")
        for n in range(rows):
            out.write(f"{rng.choice(_FIRST)};{rng.choice(_LAST)} {n};p{n}@example.fr\r\n")


def _peak_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(case: str, path: Path) -> int:
    """In a fresh process: run one case, print its peak RSS as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    from django.core.management import CommandError, call_command

    from pressdesk.contacts.importing import ImportOptions, run_import
    from pressdesk.contacts.importing.reading import FileData

    org, user = harness.org_and_user("memory")
    before = _peak_mb()
    started = time.perf_counter()
    counts: dict[str, int] = {}
    error = ""
    if case == "cli-limit":
        try:
            call_command("contacts", "import", str(path), "--org", org.slug, stdout=io.StringIO())
        except CommandError as e:
            error = str(e)
    else:
        data = FileData(path) if case == "worker" else path.read_bytes()
        for dry_run in (True, False):
            options = ImportOptions(by=user, source_label="bench", dry_run=dry_run)
            counts = run_import(org, data, path.name, options).counts
    print(
        json.dumps(
            {
                "case": case,
                "before_mb": before,
                "peak_mb": _peak_mb(),
                "seconds": time.perf_counter() - started,
                "counts": counts,
                "error": error,
            }
        )
    )
    return 0


def measure(backend: str, rows: int, cases: list[str]) -> list[Figure]:
    """Write the files, run each case in a fresh process on a fresh database."""
    workdir = Path(tempfile.mkdtemp(prefix="pressdesk-bench-memory-"))
    figures = []
    try:
        files = {}
        if {"worker", "upload"} & set(cases):
            files["wide"] = workdir / f"wide-{rows}.csv"
            write_wide_csv(files["wide"], rows)
        if "cli-limit" in cases:
            files["huge"] = workdir / "huge-780000.csv"
            write_narrow_csv(files["huge"], 780_000)
        for case in cases:
            path = files["huge" if case == "cli-limit" else "wide"]
            db = harness.new_database(backend, "pressdesk_bench_memory")
            try:
                db.create()
                db.migrate(in_process=False)
                harness.log(f"[{backend}] {case}: {path.stat().st_size / 1e6:.0f} MB")
                result = harness.run_child(__file__, [case, str(path)], db)
            finally:
                db.drop()
            figures.append(
                Figure(
                    f"import peak RSS ({case})",
                    result["peak_mb"],
                    "MB",
                    result["before_mb"],
                    "RSS before the import",
                    target=MEMORY_TARGET_MB,
                    backend=backend,
                    contacts=780_000 if case == "cli-limit" else rows,
                    extra={
                        "file_mb": round(path.stat().st_size / 1e6, 1),
                        "seconds": round(result["seconds"], 1),
                        "counts": result["counts"],
                        "error": result["error"][:120],
                    },
                )
            )
    finally:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the cases asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=192_000)
    parser.add_argument("--only", default=",".join(CASES))
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], Path(args.child[1]))
    cases = [c for c in args.only.split(",") if c in CASES]
    figures = measure("postgres" if args.postgres else "sqlite", args.rows, cases)
    harness.report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
