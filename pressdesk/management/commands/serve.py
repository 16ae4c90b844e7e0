"""`pressdesk serve`: the web application, and with --with-worker a worker beside it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.management.commands.selfcheck import served_mismatch

# Children get this long to finish (a worker finishes its current task) before being killed.
STOP_TIMEOUT = 30


def pressdesk_command(*args: str) -> list[str]:
    """Run `pressdesk …` with this very interpreter, whether or not the venv is on PATH."""
    return [sys.executable, "-m", "pressdesk.cli", *args]


def web_command(host: str, port: int, dev: bool) -> list[str]:
    """Django's development server, or gunicorn."""
    if dev:
        return pressdesk_command("runserver", f"{host}:{port}")
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "pressdesk.wsgi",
        "--workers",
        "2",
        "--bind",
        f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "--access-logfile",
        "-",
        # Unused, and two instances on one machine would fight over its default path.
        "--no-control-socket",
    ]


class Command(TranslatedCommand):
    help = gettext_lazy("Run the web application (gunicorn), and optionally a worker beside it.")
    requires_system_checks: list[str] = []  # the children run them

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help=gettext_lazy("Address to listen on (default: $HOST or 127.0.0.1)."),
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help=gettext_lazy("Port to listen on (default: $PORT or 8000)."),
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help=gettext_lazy("Also run `pressdesk worker`, and stop it on exit."),
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help=gettext_lazy("Use Django's development server, which reloads on code changes."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port, dev = options["host"], options["port"], options["dev"]
        env = dict(os.environ)
        if dev:
            env.setdefault("DEBUG", "1")
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(
                _("Pressdesk is starting on http://%(host)s:%(port)s/ (Ctrl-C to stop).")
                % {"host": shown_host, "port": port}
            )
        )
        mismatch = served_mismatch(f"http://{shown_host}:{port}", "pressdesk serve")
        if mismatch:
            self.stderr.write(self.style.WARNING(mismatch))
        # Children get their own session, so that Ctrl-C reaches only this process, which then
        # stops each child once: a second signal would make the worker drop its current task.
        children = {
            _("the web server"): subprocess.Popen(
                web_command(host, port, dev), env=env, start_new_session=True
            )
        }
        if options["with_worker"]:
            children[_("the worker")] = subprocess.Popen(
                pressdesk_command("worker"), env=env, start_new_session=True
            )
        self.supervise(children)

    def supervise(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        """Wait until a signal arrives or a child exits, then stop them all."""
        stopping = False

        def on_signal(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        first = next(iter(children.values()))
        ended: list[str] = []
        try:
            while not stopping and not ended:
                # Twice a second: notices a child that exited as well as a signal, at no real cost.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    first.wait(timeout=0.5)
                ended = [name for name, child in children.items() if child.poll() is not None]
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop(list(children.values()))
        if ended:
            code = children[ended[0]].returncode
            self.stderr.write(
                _("%(name)s stopped by itself (exit code %(code)s), so Pressdesk stopped too.")
                % {"name": ended[0].capitalize(), "code": code}
            )
            raise SystemExit(code or 1)

    def stop(self, children: list[subprocess.Popen[bytes]]) -> None:
        """SIGTERM every child still running; kill those that outstay STOP_TIMEOUT."""
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write(_("Pressdesk stopped."))
