from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.scheduler import register_periodic
from pressdesk.tasks import ping
from pressdesk.tests import tasks as test_tasks
from pressdesk.tests.conftest import Cli
from pressdesk.work.models import WorkerHeartbeat


def run_worker(*args: str) -> str:
    out = StringIO()
    call_command("worker", "--until-idle", *args, stdout=out)
    return out.getvalue()


def test_it_runs_an_enqueued_task(flushable_db: None, org: Organisation, jobs: Any) -> None:
    result = ping.enqueue(org.id)
    output = run_worker()
    entry = AuditEntry.objects.get(action="worker.ping")
    assert entry.org == org
    assert entry.actor_label == "worker"
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == entry.data["host"]
    assert "state=SUCCESSFUL" in output


def test_it_reports_a_heartbeat_while_running(flushable_db: None, jobs: Any) -> None:
    seen: list[dict[str, Any]] = []
    register_periodic("test.look", 60, lambda: seen.extend(WorkerHeartbeat.objects.values()))
    run_worker("--worker-id", "test-worker")
    assert len(seen) == 1
    assert seen[0]["worker_id"] == "test-worker"
    assert seen[0]["pid"] == os.getpid()
    assert timezone.now() - seen[0]["last_seen"] < timedelta(seconds=30)
    # A clean exit removes the row, so the UI does not count a stopped worker.
    assert not WorkerHeartbeat.objects.exists()


def test_it_runs_due_jobs_once_and_exits_when_idle(flushable_db: None, jobs: Any) -> None:
    calls: list[int] = []
    register_periodic("test.count", 3600, lambda: calls.append(1))
    run_worker()
    assert calls == [1]


def test_it_runs_tasks_that_jobs_enqueue(flushable_db: None, org: Organisation, jobs: Any) -> None:
    register_periodic("test.enqueue", 3600, lambda: ping.enqueue(org.id))
    run_worker()
    assert AuditEntry.objects.filter(action="worker.ping").count() == 1


def test_it_leaves_tasks_that_are_not_due_yet(
    flushable_db: None, org: Organisation, jobs: Any
) -> None:
    later = ping.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(org.id)
    run_worker()
    later.refresh()
    assert later.status == TaskResultStatus.READY
    assert not AuditEntry.objects.filter(action="worker.ping").exists()


def test_it_survives_a_failing_task(flushable_db: None, org: Organisation, jobs: Any) -> None:
    failing = test_tasks.fail.enqueue()
    ping.enqueue(org.id)
    run_worker()
    failing.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert AuditEntry.objects.filter(action="worker.ping").count() == 1


def test_it_finishes_the_current_task_on_sigterm(cli: Cli, tmp_path: Path) -> None:
    ready, go = tmp_path / "ready", tmp_path / "go"
    os.mkfifo(ready)
    os.mkfifo(go)
    # Held open by the test, so that neither side's open() blocks on the other.
    ready_fd = os.open(ready, os.O_RDONLY | os.O_NONBLOCK)
    go_fd = os.open(go, os.O_RDWR)
    enqueue = (
        "from pressdesk.tests.tasks import wait_for_go; "
        f"print(wait_for_go.enqueue({str(ready)!r}, {str(go)!r}).id)"
    )
    result = cli("shell", "-c", enqueue)
    assert result.returncode == 0, result.stderr
    task_id = result.stdout.strip().splitlines()[-1]

    worker = cli.popen("worker")
    try:
        readable, _, _ = select.select([ready_fd], [], [], 60)
        assert readable, "the task never started"
        assert os.read(ready_fd, 100) == b"running\n"
        worker.send_signal(signal.SIGTERM)
        os.write(go_fd, b"go\n")
        output, _ = worker.communicate(timeout=60)
    finally:
        worker.kill()
        os.close(ready_fd)
        os.close(go_fd)

    assert worker.returncode == 0, output
    assert "stopping after the current task" in output
    db = sqlite3.connect(cli.var / "pressdesk.sqlite3")
    status, value = db.execute(
        "SELECT status, return_value FROM django_tasks_database_dbtaskresult WHERE id = ?",
        (task_id.replace("-", ""),),
    ).fetchone()
    assert (status, json.loads(value)) == ("SUCCESSFUL", "go")
    assert db.execute("SELECT count(*) FROM work_workerheartbeat").fetchone() == (0,)
