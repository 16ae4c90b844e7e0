"""The core does not need its modules: without contacts and the modules built on it, Pressdesk
starts, migrates, and its own pages and tests pass. This is what makes modules plug in rather than
be wired in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pressdesk.tests.conftest import LEAKY

# The press file and every module that builds on it.
MODULE_APPS = [
    "pressdesk.contacts",
    "pressdesk.releases",
    "pressdesk.monitoring",
    "pressdesk.mailings",
]
ROOT = Path(__file__).resolve().parents[2]
# The core's own tests: the shell and accounts, whose pages every installation has.
CORE_TESTS = [
    "pressdesk/tests/test_shell_dashboard.py",
    "pressdesk/tests/test_shell_coming.py",
    "pressdesk/tests/test_shell_search.py",
    "pressdesk/tests/test_shell_home.py",
    "pressdesk/tests/test_shell_isolation.py",
    "pressdesk/tests/test_shell_translations.py",
    "pressdesk/tests/test_api_docs.py",
    "pressdesk/tests/test_demo.py",
    "pressdesk/accounts/tests/test_login.py",
    "pressdesk/accounts/tests/test_team.py",
    "pressdesk/accounts/tests/test_api_openapi.py",
    "pressdesk/accounts/tests/test_api_me.py",
]


def without_contacts(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY and k != "DATABASE_URL"}
    env.update(
        {
            "PRESSDESK_WITHOUT_APPS": ",".join(MODULE_APPS),
            "PRESSDESK_VAR": str(tmp_path),
            "LANG": "C.UTF-8",
        }
    )
    if os.environ.get("DATABASE_URL"):
        # Its own test database, beside the one this test runs in.
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        env["TEST_DATABASE_NAME"] = f"test_pressdesk_core_{os.getpid()}"
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.mark.skipif(
    "PRESSDESK_WITHOUT_APPS" in os.environ, reason="already running without some apps"
)
def test_the_core_runs_and_passes_its_tests_without_contacts(tmp_path: Path) -> None:
    env = without_contacts(tmp_path)
    env.pop("DATABASE_URL", None)  # check and migrate on a private SQLite file
    env.pop("TEST_DATABASE_NAME", None)
    for command in (["check"], ["migrate", "-v0"], ["demo"]):
        done = run(["manage.py", *command], env)
        assert done.returncode == 0, f"manage.py {' '.join(command)}:\n{done.stderr}"
    code = "from pressdesk.modules import registered; print([m.key for m in registered()])"
    listed = run(["manage.py", "shell", "--no-imports", "-c", code], env)
    assert listed.stdout.strip() == "[]", listed.stderr

    tests = run(
        ["-m", "pytest", "-p", "no:xdist", "-q", *CORE_TESTS],
        without_contacts(tmp_path),
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout
