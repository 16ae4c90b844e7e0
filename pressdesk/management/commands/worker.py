"""`pressdesk worker`: run background tasks and periodic jobs until stopped.

The worker reports a heartbeat that also renews the leases of the rows it claimed, runs the
sweeper at start and every WORK_SWEEP_SECONDS, starts the periodic jobs it wins, and runs tasks.
See docs/decisions/0002-durable-work.md.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import socket
import threading
import time
from argparse import ArgumentTypeError
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import close_old_connections, connection
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from pressdesk import scheduler
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.work import claims, sweeper
from pressdesk.work.models import WorkerHeartbeat

logger = logging.getLogger("pressdesk.worker")

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Heartbeat(threading.Thread):
    """Reports the worker alive and renews its leases from a thread of its own, so that a long
    task (an import, a big mailing) keeps its claims and the UI does not believe the worker died."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self) -> None:
        """Record that this worker is alive now, and extend the leases it holds."""
        try:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={
                    "hostname": socket.gethostname()[:255],
                    "pid": os.getpid(),
                    "last_seen": timezone.now(),
                },
            )
            claims.renew_leases(self.worker_id)
        except DatabaseError:
            # A missed beat only makes the UI doubt the worker for a while; keep working.
            logger.warning("Could not record the worker heartbeat", exc_info=True)

    def start(self) -> None:
        """Beat once before returning, then every HEARTBEAT_SECONDS until stopped."""
        self.beat()
        super().start()

    def run(self) -> None:
        try:
            while not self.stopped.wait(float(settings.WORK_HEARTBEAT_SECONDS)):
                self.beat()
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        """Stop beating and remove the row, so that a stopped worker is not counted."""
        self.stopped.set()
        self.join()
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


class PressdeskWorker(Worker):
    """django-tasks-db's worker that also sweeps, starts due periodic jobs and beats."""

    def __init__(self, *, interval: float, until_idle: bool, queues: list[str], worker_id: str):
        super().__init__(
            queue_names=queues,
            interval=interval,
            batch=until_idle,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.until_idle = until_idle
        self.next_sweep = 0.0  # time.monotonic() of the next sweep; 0 sweeps at start
        # A signal writes a byte here, so that a worker waiting for work wakes at once.
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        """First signal: finish the current task, then stop. Second: stop now."""
        if not self.running:
            logger.warning("Received %s again: stopping now.", signal.strsignal(signum))
            self.reset_signals()
            raise SystemExit(1)
        logger.warning(
            "Received %s: stopping after the current task (send it again to stop now).",
            signal.strsignal(signum),
        )
        self.running = False
        with contextlib.suppress(BlockingIOError):  # the pipe is full of wake-ups already
            os.write(self.wake_w, b"x")

    def claim(self) -> tuple[DBTaskResult | None, bool]:
        """Claim the next ready task, if any; the flag is False if the database was locked."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as e:
            if is_locked_database_exception(e):
                return None, False
            raise
        return task_result, True

    def sweep_if_due(self) -> None:
        """Run the sweeper at start and then every WORK_SWEEP_SECONDS."""
        if time.monotonic() < self.next_sweep:
            return
        self.next_sweep = time.monotonic() + float(settings.WORK_SWEEP_SECONDS)
        try:
            sweeper.sweep()
        except OperationalError as e:
            # SQLite busy with a long import's transaction: the next sweep will do.
            logger.warning("Sweep skipped: %s", e)

    def release_claims(self) -> None:
        """Settle the claims a failed task left behind (see sweeper.release_claims_of)."""
        try:
            requeued, interrupted = sweeper.release_claims_of(self.worker_id)
        except DatabaseError:
            # The lease then runs out once this worker stops; nothing is lost meanwhile.
            logger.warning("Could not release a failed task's claims", exc_info=True)
            return
        if requeued or interrupted:
            logger.info(
                "A failed task left %s claim(s): %s back to pending, %s interrupted",
                requeued + interrupted,
                requeued,
                interrupted,
            )

    def start_due_jobs(self) -> None:
        """Enqueue the periodic jobs whose tick this worker wins."""
        try:
            scheduler.start_due()
        except OperationalError as e:
            logger.warning("Periodic jobs not checked: %s", e)

    def wait(self) -> None:
        """Sleep until there may be work: the poll interval, the next job or sweep, or a signal."""
        until_sweep = max(0.0, self.next_sweep - time.monotonic())
        timeout = min(self.interval, scheduler.seconds_until_due(), until_sweep)
        readable, _w, _x = select.select([self.wake_r], [], [], timeout)
        if readable:
            os.read(self.wake_r, 1024)

    def run(self) -> None:
        """Loop until stopped (or, with --until-idle, until nothing is ready or due)."""
        claims.set_worker_id(self.worker_id)
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        scheduler.sync_rows()
        logger.info("Worker %s started (pid %s)", self.worker_id, os.getpid())
        try:
            while self.running:
                close_old_connections()
                self.sweep_if_due()
                self.start_due_jobs()
                task_result, reached_db = self.claim()
                if task_result is not None:
                    self.run_task(task_result)
                    if task_result.status == TaskResultStatus.FAILED:
                        self.release_claims()
                if task_result is not None or not self.running:
                    continue
                if self.until_idle and reached_db and scheduler.seconds_until_due() > 0:
                    logger.info("Nothing to do: worker %s exits.", self.worker_id)
                    return
                self.wait()
        finally:
            heartbeat.stop()
            claims.set_worker_id(None)
            os.close(self.wake_r)
            os.close(self.wake_w)
            logger.info("Worker %s stopped", self.worker_id)


def positive_seconds(value: str) -> float:
    """An argparse type: a number of seconds, zero or more."""
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(_("expected a number of seconds")) from None
    if not 0 <= seconds < 3600:
        raise ArgumentTypeError(_("expected a number of seconds from 0 to 3600"))
    return seconds


def default_worker_id() -> str:
    """Readable in the admin and unique across machines."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"


class Command(TranslatedCommand):
    uses_verbosity = True  # -v 2 logs every task
    help = gettext_lazy(
        "Run background tasks and periodic jobs. SIGTERM or Ctrl-C stops it after the current task."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval",
            type=positive_seconds,
            default=1.0,
            help=gettext_lazy("Seconds to wait when there is nothing to do (default: 1)."),
        )
        parser.add_argument(
            "--until-idle",
            action="store_true",
            help=gettext_lazy(
                "Exit once no task is ready and no periodic job is due (for scripts and tests)."
            ),
        )
        parser.add_argument(
            "--queues",
            default="*",
            help=gettext_lazy("Comma-separated queue names to serve (default: all)."),
        )
        parser.add_argument(
            "--worker-id",
            default="",
            help=gettext_lazy("A name unique across all workers (default: host-pid-random)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker = PressdeskWorker(
            interval=options["interval"],
            until_idle=options["until_idle"],
            queues=[q.strip() for q in options["queues"].split(",") if q.strip()] or ["*"],
            worker_id=(options["worker_id"] or default_worker_id())[:64],
        )
        # Handlers are put back afterwards: tests run the worker inside the test process.
        previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
        for sig in SIGNALS:
            signal.signal(sig, worker.shutdown)
        try:
            worker.run()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def configure_logging(self, verbosity: int) -> None:
        """Show the worker's and the task library's log lines on this command's stdout."""
        level = {0: logging.CRITICAL, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("pressdesk.worker", "django_tasks", "django_tasks_db"):
            log = logging.getLogger(name)
            log.setLevel(level)
            for old in [h for h in log.handlers if isinstance(h, _StdoutHandler)]:
                log.removeHandler(old)
            log.addHandler(_StdoutHandler(self.stdout))
            # "pressdesk" also logs to stderr (settings.LOGGING): print each line once.
            log.propagate = False


class _StdoutHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this command added, so that running it again replaces it."""
