"""What every benchmark shares: its own database, Django set up on it, timing and reporting.

A benchmark process picks its database before Django starts: SQLite in a temporary directory
(through PRESSDESK_VAR), or with `--postgres` a PostgreSQL database it creates and drops
(DATABASE_URL=postgres://postgres@127.0.0.1:5432/pressdesk_bench…). Figures are printed with a
ratio against a baseline timed in the same process, so that they compare across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pressdesk.accounts.models import Organisation, User

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass
class Figure:
    """One measured figure, its baseline from the same process, and its target."""

    name: str
    value: float
    unit: str
    baseline: float
    baseline_label: str
    target: float | None = None
    backend: str = ""
    contacts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """The figure as a multiple of its baseline."""
        return self.value / self.baseline if self.baseline else float("nan")

    @property
    def met(self) -> bool | None:
        """Whether the target is met (None when the figure has no target)."""
        return None if self.target is None else self.value <= self.target

    def line(self) -> str:
        """The figure as one printed line."""
        target = ""
        if self.target is not None:
            target = f"  target ≤ {self.target:g} {self.unit}: {'met' if self.met else 'MISSED'}"
        extra = (
            "  " + ", ".join(f"{k}={_fmt(v)}" for k, v in self.extra.items()) if self.extra else ""
        )
        return (
            f"{self.name:<34} {self.value:>10.2f} {self.unit:<3} = {self.ratio:>8.1f} × "
            f"{self.baseline_label} ({self.baseline:.3f} {self.unit}){target}{extra}"
        )

    def as_dict(self) -> dict[str, Any]:
        """The figure for --json output."""
        return {**asdict(self), "ratio": self.ratio, "met": self.met}


def _fmt(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) of the values, linearly interpolated."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def time_each(calls: list[Callable[[], Any]], warmup: int = 3) -> list[float]:
    """The wall time of each call, in milliseconds, after a few warm-up calls."""
    return timed(calls, warmup)[0]


def timed(calls: list[Callable[[], Any]], warmup: int = 3) -> tuple[list[float], list[float]]:
    """Wall and CPU time of each call, in milliseconds, after a few warm-up calls.

    On a busy machine wall time includes waiting for a CPU; CPU time does not. CPU time is this
    process's, plus on PostgreSQL that of the server process serving this connection (read from
    /proc/<pid>/schedstat), so it is the work each call costs, whatever else the machine runs.
    """
    for call in calls[:warmup]:
        call()
    wall, cpu = [], []
    for call in calls:
        started_cpu = cpu_ms()
        started = time.perf_counter()
        call()
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append(cpu_ms() - started_cpu)
        wall.append(elapsed)
    return wall, cpu


def _backend_pid() -> int | None:
    """The PostgreSQL server process serving Django's connection (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def _schedstat_ms(pid: int) -> float:
    """CPU time a process has used, from the kernel's scheduler statistics, in ms."""
    try:
        with open(f"/proc/{pid}/schedstat") as handle:
            return int(handle.read().split()[0]) / 1e6
    except OSError:
        return 0.0


def cpu_ms() -> float:
    """CPU time used so far by this process and by its PostgreSQL server process, in ms."""
    own = time.process_time() * 1000
    pid = _backend_pid()
    return own + (_schedstat_ms(pid) if pid else 0.0)


def median_ms(call: Callable[[], Any], repeat: int = 200) -> float:
    """The median wall time of a call, in milliseconds."""
    return statistics.median(time_each([call] * repeat))


@dataclass
class BenchDatabase:
    """A benchmark's own database: SQLite in a temp directory, or a PostgreSQL database."""

    backend: str
    name: str
    var_dir: Path

    @property
    def env(self) -> dict[str, str]:
        """The environment a process needs to run Pressdesk on this database."""
        env = {
            "PRESSDESK_VAR": str(self.var_dir),
            "SECRET_KEY": "bench-not-secret",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        if self.backend == "postgres":
            env["DATABASE_URL"] = f"{PG_SERVER}/{self.name}"
        return env

    def create(self) -> None:
        """Create the empty database (PostgreSQL: drop any leftover of the same name first)."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if self.backend == "postgres":
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            _pg_admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        """Remove the database and its directory."""
        if self.backend == "postgres":
            from django.conf import settings

            if settings.configured:
                from django.db import connections

                connections.close_all()
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.var_dir, ignore_errors=True)

    def migrate(self, in_process: bool = True) -> None:
        """Create the schema, here or in a child process."""
        if in_process:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        else:
            import subprocess

            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
                env={**os.environ, **self.env},
                check=True,
                cwd=ROOT,
            )


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def new_database(backend: str, name: str = "pressdesk_bench") -> BenchDatabase:
    """A fresh benchmark database, not yet created."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    return BenchDatabase(backend, f"{name}_{os.getpid()}", var_dir)


@contextmanager
def django_on(db: BenchDatabase) -> Iterator[BenchDatabase]:
    """Create the database, point Django at it, migrate; drop it all afterwards.

    SIGTERM is turned into an exception, so that a killed benchmark still drops its database.
    """
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    db.create()
    os.environ.update(db.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    try:
        db.migrate()
        yield db
    finally:
        db.drop()


def _exit_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def org_and_user(slug: str = "bench") -> tuple[Organisation, User]:
    """An organisation with a director to log in as."""
    from pressdesk.accounts.models import Membership, Organisation, User
    from pressdesk.accounts.roles import Role

    org = Organisation.objects.create(name=f"Bench {slug}", slug=slug)
    user = User.objects.create_user(f"{slug}@example.org", "bench-password-123")
    Membership.objects.create(user=user, org=org, role=Role.DIRECTOR)
    return org, user


def log(message: str) -> None:
    """Progress on stderr, so that --json output on stdout stays clean."""
    print(message, file=sys.stderr, flush=True)


def common_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options every benchmark script takes."""
    parser.add_argument("--contacts", type=int, default=100_000, help="contacts to generate")
    parser.add_argument("--outlets", type=int, default=5_000, help="outlets to generate")
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL, not SQLite")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def report(figures: list[Figure], as_json: bool) -> None:
    """Print the figures, as lines or as JSON."""
    if as_json:
        print(json.dumps([f.as_dict() for f in figures], ensure_ascii=False, indent=1))
        return
    for figure in figures:
        print(figure.line(), flush=True)


Measure = Callable[["LoadedFile"], list[Figure]]


@dataclass
class LoadedFile:
    """A database holding a generated press file, ready to be measured."""

    db: BenchDatabase
    org: Any
    user: Any
    dataset: Any
    contacts: int
    outlets: int
    load_stats: dict[str, float]

    @property
    def backend(self) -> str:
        return self.db.backend


@contextmanager
def loaded_file(
    contacts: int, outlets: int, postgres: bool, copies: int = 1
) -> Iterator[LoadedFile]:
    """A fresh database with a generated press file of this size loaded into it.

    With `copies` > 1 (PostgreSQL), a file of contacts / copies is loaded through the app and
    then copied inside the database (bench/replicate.py) up to the size asked for.
    BENCH_KEEP=label keeps the loaded database for later runs (`_kept`)."""
    reuse = os.environ.get("BENCH_REUSE_SQLITE_VAR")
    if reuse and not postgres:
        yield _reused(Path(reuse), contacts, outlets)
        return
    keep = os.environ.get("BENCH_KEEP", "")
    if keep:
        yield from _kept(keep, contacts, outlets, postgres, copies)
        return
    db = new_database("postgres" if postgres else "sqlite")
    with django_on(db):
        org, user, dataset, stats = _load(db, contacts, outlets, copies)
        yield LoadedFile(db, org, user, dataset, contacts, outlets, stats)


def _load(
    db: BenchDatabase, contacts: int, outlets: int, copies: int
) -> tuple[Any, Any, Any, dict[str, Any]]:
    """Generate the file, load contacts / copies through the app, copy it up, ANALYZE."""
    import generate
    import replicate

    org, user = org_and_user()
    made, made_outlets = contacts // copies, outlets // copies
    log(f"[{db.backend} {contacts:,}] generating {made:,} contacts, {made_outlets:,} outlets")
    dataset = generate.generate(made, made_outlets)
    stats: dict[str, Any] = dict(generate.load(dataset, org, progress=log))
    log(
        f"[{db.backend} {contacts:,}] loaded {made:,} in {stats['total_seconds']:.1f} s "
        f"(inserts {stats['insert_seconds']:.1f} s, search text and index "
        f"{stats['search_index_seconds']:.1f} s)"
    )
    if copies > 1:
        stats.update(replicate.replicate(copies, progress=log))
        stats["copies"] = copies
        seconds = stats["replicate_seconds"]
        log(f"[{db.backend} {contacts:,}] copied ×{copies} in {seconds:.1f} s")
    t0 = time.perf_counter()
    _analyse()
    stats["analyse_seconds"] = time.perf_counter() - t0
    return org, user, dataset, stats


def _kept(
    label: str, contacts: int, outlets: int, postgres: bool, copies: int
) -> Iterator[LoadedFile]:
    """BENCH_KEEP=label: a database loaded once and kept, measured again by later runs.

    The first run with a label loads it (and reports the load); later runs with the same label,
    size and backend migrate it (new migrations apply to it) and measure it as it is."""
    import generate

    backend = "postgres" if postgres else "sqlite"
    tag = f"{label}_{backend}_{contacts}_{copies}"
    var_dir = Path(tempfile.gettempdir()) / "pressdesk_bench_keep" / tag
    db = BenchDatabase(backend, f"pressdesk_keep_{tag}", var_dir)
    marker = var_dir / "loaded.json"
    if not marker.exists():
        db.create()
    os.environ.update(db.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    t0 = time.perf_counter()
    db.migrate()
    migrate_seconds = time.perf_counter() - t0
    if marker.exists():
        from pressdesk.accounts.models import Organisation, User

        org = Organisation.objects.get(slug="bench")
        user = User.objects.get(email="bench@example.org")
        log(f"[{backend} {contacts:,}] reusing the database kept as {tag} ({db.name})")
        stats = {**json.loads(marker.read_text()), "migrate_seconds": migrate_seconds}
        dataset = generate.generate(contacts // copies, outlets // copies)
    else:
        org, user, dataset, stats = _load(db, contacts, outlets, copies)
        marker.write_text(json.dumps(stats))
    yield LoadedFile(db, org, user, dataset, contacts, outlets, stats)


def _reused(var_dir: Path, contacts: int, outlets: int) -> LoadedFile:
    """A SQLite database a previous load left in `var_dir` (same size), kept afterwards.

    For measuring again without loading again: the file is generated (not loaded) for the
    queries the benchmarks take from it."""
    import generate

    db = BenchDatabase("sqlite", "reused", var_dir)
    os.environ.update(db.env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    db.migrate()
    from pressdesk.accounts.models import Organisation, User

    org = Organisation.objects.get(slug="bench")
    user = User.objects.get(email="bench@example.org")
    assert org.contacts.count() == contacts, "the reused database holds another size"
    log(f"[sqlite {contacts:,}] reusing the database loaded in {var_dir}")
    dataset = generate.generate(contacts, outlets)
    return LoadedFile(db, org, user, dataset, contacts, outlets, {})


def _analyse() -> None:
    """Update the planner's statistics after a bulk load, as autovacuum would in production.

    On PostgreSQL a VACUUM too, as autovacuum does after many inserts: it marks the pages
    all-visible, without which no index-only scan can skip reading the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def run_script(measure: Measure, description: str, argv: list[str] | None = None) -> int:
    """The main() of one benchmark script: its own database, the file loaded, the figures."""
    parser = common_arguments(argparse.ArgumentParser(description=description))
    args = parser.parse_args(argv)
    with loaded_file(args.contacts, args.outlets, args.postgres) as loaded:
        figures = measure(loaded)
    report(figures, args.json)
    return 0


def run_child(script: str, args: list[str], db: BenchDatabase) -> dict[str, Any]:
    """Run `script --child ARGS` on `db` in a fresh process; return the JSON its last line prints.

    A child process measures from a clean start: its peak memory is the import's alone.
    """
    done = subprocess.run(
        [sys.executable, script, "--child", *args],
        env={**os.environ, **db.env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
