"""Real worker processes on a real database: SQLite in a file, or the PostgreSQL test database."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from pressdesk.tests.conftest import Cli, cli, migrated_var  # noqa: F401  (fixtures)

# Short leases and sweeps, so that a killed worker's work is recovered within seconds.
FAST = {
    "WORK_LEASE_SECONDS": "1.5",
    "WORK_HEARTBEAT_SECONDS": "0.3",
    "WORK_SWEEP_SECONDS": "0.3",
}


@dataclass
class Site:
    """One installation: `pressdesk` commands against one database, and SQL to look inside it."""

    cli: Cli
    env: dict[str, str]
    sqlite: Path | None
    workers: list[subprocess.Popen[str]] = field(default_factory=list)

    @property
    def vendor(self) -> str:
        return "sqlite" if self.sqlite else "postgresql"

    def shell(self, code: str) -> str:
        """Run Python inside `pressdesk shell`; its last line of output."""
        result = self.cli("shell", "-c", code, **self.env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    def worker(self, *args: str, **env: str) -> subprocess.Popen[str]:
        """Start `pressdesk worker`; it is stopped at the end of the test if still running."""
        proc = self.cli.popen("worker", *args, **{**self.env, **FAST, **env})
        self.workers.append(proc)
        return proc

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Run a query (with %s placeholders) on the site's database, outside any transaction."""
        if self.sqlite is not None:
            import sqlite3

            db = sqlite3.connect(self.sqlite, timeout=30)
            try:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                db.close()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def value(self, sql: str, *params: Any) -> Any:
        (row,) = self.rows(sql, *params)
        return row[0]

    def wait_for(self, sql: str, *params: Any, expect: Any = True, timeout: float = 60) -> float:
        """Poll a query until it returns `expect` (bounded); return the seconds it took."""
        start = time.monotonic()
        seen = None
        while time.monotonic() - start < timeout:
            seen = self.value(sql, *params)
            if seen == expect:
                return time.monotonic() - start
            for proc in self.workers:
                if proc.poll() is not None and proc.returncode not in (0, -signal.SIGKILL):
                    raise AssertionError(
                        f"a worker died: {proc.stdout.read() if proc.stdout else ''}"
                    )
            self._pause()
        raise AssertionError(f"{sql!r} gave {seen!r}, not {expect!r}, after {timeout} s")

    @staticmethod
    def _pause() -> None:
        # Between two polls of the database: not a timing assumption, only a rest for the CPU.
        time.sleep(0.05)

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


@pytest.fixture
def site(request: pytest.FixtureRequest, tmp_path: Path, flushable_db: None) -> Iterator[Site]:
    """SQLite in a file of its own, or, when the suite runs on PostgreSQL, its test database
    (in autocommit: the workers' transactions and ours must not wait for each other)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        found = Site(Cli(tmp_path / "var"), {"DATABASE_URL": url}, None)
        (tmp_path / "var").mkdir()
    else:
        cli = request.getfixturevalue("cli")
        found = Site(cli, {}, cli.var / "pressdesk.sqlite3")
    try:
        yield found
    finally:
        found.stop_workers()
