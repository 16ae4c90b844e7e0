"""Fixtures for the command-line tests: `pressdesk` in a subprocess, on its own var/ folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pressdesk import scheduler

PRESSDESK = str(Path(sys.executable).parent / "pressdesk")
# Settings that would leak from the developer's shell (or other tests) into the subprocess.
LEAKY = (
    "DATABASE_URL",
    "PRESSDESK_ORG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DEBUG",
    "SITE_ROOT",
    "MEDIA_ROOT",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_MESSAGES",
    # pressdesk/e2e/conftest.py sets it for Playwright; Django's checks rightly refuse it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


@dataclass
class Cli:
    """Runs `pressdesk` with PRESSDESK_VAR pointing at a private folder (SQLite unless told)."""

    var: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in LEAKY}
        env.update({"PRESSDESK_VAR": str(self.var), "LANG": "C.UTF-8"})
        env.update(extra)
        return env

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRESSDESK, *args], env=self.env(**env), capture_output=True, text=True, timeout=120
        )

    def popen(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [PRESSDESK, *args],
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture(scope="session")
def migrated_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A var/ folder with a migrated SQLite database, made once per test process."""
    var = tmp_path_factory.mktemp("var-template")
    result = Cli(var)("migrate", "-v0")
    assert result.returncode == 0, result.stderr
    return var


@pytest.fixture
def cli(migrated_var: Path, tmp_path: Path) -> Cli:
    """`pressdesk` on a fresh copy of the migrated var/ folder."""
    var = tmp_path / "var"
    shutil.copytree(migrated_var, var)
    return Cli(var)


@pytest.fixture
def jobs() -> Iterator[dict[str, Any]]:
    """The scheduler's registry, put back as it was after the test."""
    saved = dict(scheduler.JOBS)
    scheduler.JOBS.clear()
    yield scheduler.JOBS
    scheduler.JOBS.clear()
    scheduler.JOBS.update(saved)
