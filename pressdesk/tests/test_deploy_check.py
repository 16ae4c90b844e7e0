from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from pressdesk.tests.conftest import LEAKY


def test_it_passes_djangos_deployment_checks(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env.update(
        DEBUG="0",
        SITE_ROOT="https://press.example.org",
        SECRET_KEY=secrets.token_urlsafe(64),
        PRESSDESK_VAR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
