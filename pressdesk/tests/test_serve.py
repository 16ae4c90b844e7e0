from __future__ import annotations

import json
import select
import signal
import socket
import time
import urllib.request
from subprocess import Popen

from pressdesk.tests.conftest import Cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def read_until(process: Popen[str], *needles: str, timeout: float = 120) -> str:
    """The process's output up to the line where every needle has appeared."""
    assert process.stdout is not None
    seen, deadline = "", time.monotonic() + timeout
    while not all(n in seen for n in needles):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"waited for {needles}, got:\n{seen}"
        if select.select([process.stdout], [], [], remaining)[0]:
            line = process.stdout.readline()
            assert line, f"output ended early:\n{seen}"
            seen += line
    return seen


def test_it_serves_the_app_with_a_worker_and_stops_both(cli: Cli) -> None:
    port = free_port()
    server = cli.popen("serve", "--with-worker", "--port", str(port))
    try:
        started = read_until(server, "Listening at", "started (pid")
        assert f"http://127.0.0.1:{port}/" in started
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
            assert page.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/") as health:
            assert json.load(health) == {"status": "ok", "worker_alive": True}
        server.send_signal(signal.SIGTERM)
        # communicate() waits for the end of the output, which children hold open too.
        output, _ = server.communicate(timeout=90)
    finally:
        server.kill()
    assert server.returncode == 0, output
    assert "Pressdesk stopped." in output
    # SITE_ROOT is left at its default (port 8000): links in mails would lead elsewhere.
    assert f"but the application is served at http://127.0.0.1:{port}" in started + output
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_it_stops_when_the_web_server_cannot_start(cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--with-worker", "--port", str(port))
    assert result.returncode == 1
    assert "The web server stopped by itself (exit code 1)" in result.stderr
