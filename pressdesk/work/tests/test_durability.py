"""Durable work with real `pressdesk worker` processes, killed for real (SIGKILL), no mocks."""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import subprocess
from pathlib import Path

from pressdesk.work.tests.conftest import Site

ROWS = 20000  # large enough that no attempt finishes before its kill, on an idle machine too
KILLS = 10
SCENARIO = "from pressdesk.work.tests.scenarios import import_job; print(import_job(%s))"
RESULT = (
    "SELECT %s FROM django_tasks_database_dbtaskresult "
    "WHERE replace(CAST(id AS TEXT), '-', '') = %%s"
)


def _kill_after(proc: subprocess.Popen[str], seconds: float) -> None:
    """SIGKILL the worker once `seconds` have passed (or at once if it already exited)."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_an_import_killed_ten_times_ends_once_and_complete(site: Site) -> None:
    job = int(site.shell(SCENARIO % f"{ROWS}, confirmed=True"))
    rng = random.Random(20261128)
    mid_import = 0
    for attempt in range(KILLS):
        name = f"doomed-{attempt}"
        proc = site.worker("--worker-id", name)
        # Wait until this worker holds the job (after the sweeper took it from the dead one)...
        site.wait_for(
            "SELECT count(*) FROM contacts_importjob "
            "WHERE id = %s AND (claimed_by = %s OR state = 'done')",
            job,
            name,
            expect=1,
        )
        # ...then kill it at a random point of the import.
        if site.value("SELECT state FROM contacts_importjob WHERE id = %s", job) == "claimed":
            mid_import += 1
        _kill_after(proc, rng.uniform(0.05, 0.8))
    assert mid_import == KILLS, "every kill should land while the import runs"

    site.worker("--worker-id", "survivor")
    site.wait_for(
        "SELECT status FROM contacts_importjob WHERE id = %s", job, expect="done", timeout=120
    )
    site.stop_workers()

    state, attempts = site.rows(
        "SELECT state, attempts FROM contacts_importjob WHERE id = %s", job
    )[0]
    assert state == "done"
    assert attempts == KILLS + 1
    counts = site.value("SELECT counts FROM contacts_importjob WHERE id = %s", job)
    counts = counts if isinstance(counts, dict) else json.loads(counts)
    assert (counts["rows"], counts["created"], counts["skipped"]) == (ROWS, ROWS, 0)
    assert site.value("SELECT count(*) FROM contacts_contact") == ROWS
    assert site.value("SELECT count(DISTINCT email) FROM contacts_contactemail") == ROWS
    assert (
        site.value("SELECT count(*) FROM accounts_auditentry WHERE action = 'contacts.import'") == 1
    )
    # The tasks of the killed workers were not left RUNNING.
    assert (
        site.value(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
        )
        == 0
    )


def test_a_periodic_job_runs_once_per_tick_whatever_the_number_of_workers(site: Site) -> None:
    workers = 3 if site.vendor == "postgresql" else 2
    every = {"PERIODIC_EVERY": "accounts.prune_login_attempts=2"}
    for n in range(workers):
        site.worker("--worker-id", f"w{n}", "--interval", "0.2", **every)
    site.wait_for("SELECT count(*) FROM work_workerheartbeat", expect=workers)
    # Let them run side by side for 30 s.
    with contextlib.suppress(subprocess.TimeoutExpired):
        site.workers[0].wait(timeout=30)
    site.stop_workers()

    job = site.value("SELECT id FROM work_periodicjob WHERE name = 'accounts.prune_login_attempts'")
    enqueued = site.rows(
        "SELECT enqueued_at, status, args_kwargs FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'pressdesk.work.tasks.run_periodic' ORDER BY enqueued_at"
    )
    runs = [
        (when, status)
        for when, status, args in enqueued
        if (args if isinstance(args, dict) else json.loads(args))["args"] == [job]
    ]
    assert len(runs) >= 14
    first, last = runs[0][0], runs[-1][0]
    if isinstance(first, str):
        from datetime import datetime

        first, last = datetime.fromisoformat(first), datetime.fromisoformat(last)
    ticks = (last - first).total_seconds() / 2 + 1
    assert abs(len(runs) - ticks) <= 1, (len(runs), ticks)
    assert {status for _when, status in runs} == {"SUCCESSFUL"}
    assert site.value("SELECT runs FROM work_periodicjob WHERE id = %s", job) == len(runs)


def test_work_committed_without_its_wake_up_is_still_done(site: Site) -> None:
    job = int(site.shell(SCENARIO % "20, confirmed=False, wake=False"))
    assert (
        site.value(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE '%%import%%'"
        )
        == 0
    )
    site.worker()
    took = site.wait_for(
        "SELECT status FROM contacts_importjob WHERE id = %s", job, expect="preview"
    )
    assert took < 60
    assert site.value("SELECT state FROM contacts_importjob WHERE id = %s", job) == "done"


def test_a_task_left_running_by_a_killed_worker_is_marked_failed(
    site: Site, tmp_path: Path
) -> None:
    ready, go = tmp_path / "ready", tmp_path / "go"
    os.mkfifo(ready)
    os.mkfifo(go)
    ready_fd = os.open(ready, os.O_RDONLY | os.O_NONBLOCK)
    go_fd = os.open(go, os.O_RDWR)
    try:
        task_id = site.shell(
            "from pressdesk.tests.tasks import wait_for_go; "
            f"print(wait_for_go.enqueue({str(ready)!r}, {str(go)!r}).id)"
        ).replace("-", "")
        doomed = site.worker("--worker-id", "doomed")
        readable, _, _ = select.select([ready_fd], [], [], 60)
        assert readable, "the task never started"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
        sql = RESULT % "status"
        assert site.value(sql, task_id) == "RUNNING"
        site.worker("--worker-id", "rescuer")
        site.wait_for(sql, task_id, expect="FAILED")
    finally:
        os.close(ready_fd)
        os.close(go_fd)
    cls = site.value(RESULT % "exception_class_path", task_id)
    assert cls == "pressdesk.work.WorkerLost"


def test_a_bulk_send_killed_mid_way_mails_nobody_twice(site: Site) -> None:
    queued = int(site.shell(SCENARIO.replace("import_job", "notices") % "120"))
    assert queued == 120
    doomed = site.worker("--worker-id", "doomed")
    site.wait_for(
        "SELECT count(*) >= 10 FROM contacts_noticesend WHERE outcome = 'sent'", expect=True
    )
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)
    site.worker("--worker-id", "survivor")
    site.wait_for(
        "SELECT count(*) FROM contacts_noticesend WHERE state IN ('pending', 'claimed')", expect=0
    )
    site.stop_workers()

    mailed = [
        line.split(":", 1)[1].strip()
        for path in (site.cli.var / "mail").iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    ]
    assert len(mailed) == len(set(mailed)), "someone was mailed twice"
    states = dict(site.rows("SELECT state, count(*) FROM contacts_noticesend GROUP BY state"))
    # At most the one mail in flight at the kill waits for a decision; it was not resent.
    assert states.get("interrupted", 0) <= 1
    assert states["done"] + states.get("interrupted", 0) == 120
    sent = site.value("SELECT count(*) FROM contacts_noticesend WHERE outcome = 'sent'")
    assert sent == states["done"]
    assert len(mailed) in (sent, sent + states.get("interrupted", 0))
