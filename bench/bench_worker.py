"""Worker throughput: claims per second of empty tasks and of periodic job ticks.

For each backend a fresh database is created and migrated; then, with 1, 2 and 4 real
`pressdesk worker` processes:
- **empty tasks**: N no-op tasks are enqueued behind a gate (run_after far ahead), the workers
  started and seen alive, the gate opened with one UPDATE; the figure is N over the time from the
  first task's start to the last one's end;
- **periodic jobs**: one job's interval is set to 1 ms (PERIODIC_EVERY), so every loop of every
  worker competes for the next tick (conditional UPDATE), enqueues its run and runs it; the figure
  is runs per second over a window.

The baseline is the same cycle in this process, with no process boundary: the worker's claim and
run of each task, and for periodic jobs start_due plus the claim and run of its task. Ratios above
1 mean the workers together beat one in-process loop.

    .venv/bin/python bench/bench_worker.py                  # SQLite
    .venv/bin/python bench/bench_worker.py --postgres       # PostgreSQL
    .venv/bin/python bench/bench_worker.py --both --tasks 2000 --seconds 10 --workers 1,2,4
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import harness
from harness import Figure, log

PRESSDESK = str(Path(sys.executable).parent / "pressdesk")
JOB = "accounts.prune_login_attempts"
FAR = 10 * 365 * 24 * 3600


def start_workers(
    db: harness.BenchDatabase, count: int, **env: str
) -> list[subprocess.Popen[bytes]]:
    """Start `count` workers and return once each has reported alive."""
    from pressdesk.work.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    procs = [
        subprocess.Popen(
            [PRESSDESK, "worker", "--interval", "0.05", "--worker-id", f"bench-{n}", "-v0"],
            env={**os.environ, **db.env, **env},
            stdout=subprocess.DEVNULL,
        )
        for n in range(count)
    ]
    deadline = time.monotonic() + 120
    while WorkerHeartbeat.objects.count() < count:
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            stop(procs)
            raise RuntimeError("the workers did not start")
        time.sleep(0.05)
    return procs


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=60)


def in_process_worker() -> Any:
    """The worker command's own worker object, to claim and run tasks in this process."""
    from pressdesk.management.commands.worker import PressdeskWorker

    return PressdeskWorker(interval=0.05, until_idle=True, queues=["*"], worker_id="bench-inline")


def enqueue_gated(count: int) -> None:
    """`count` no-op tasks, not ready until the gate opens."""
    from datetime import timedelta

    from django.utils import timezone

    from pressdesk.work.tasks import noop

    later = noop.using(run_after=timezone.now() + timedelta(seconds=FAR))
    for _n in range(count):
        later.enqueue()


def open_gate() -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path="pressdesk.work.tasks.noop").update(
        run_after=timezone.now()
    )


def clear_tasks() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


def baseline_tasks(count: int) -> float:
    """Empty tasks per second, claimed and run by the worker's own code in this process."""
    clear_tasks()
    enqueue_gated(count)
    open_gate()
    worker = in_process_worker()
    start = time.perf_counter()
    done = 0
    while True:
        result, _reached = worker.claim()
        if result is None:
            break
        worker.run_task(result)
        done += 1
    elapsed = time.perf_counter() - start
    assert done == count, (done, count)
    return count / elapsed


def baseline_periodic(ticks: int) -> float:
    """Periodic ticks per second in this process: win the tick, claim its task, run it."""
    from django.conf import settings

    from pressdesk import scheduler

    clear_tasks()
    settings.PERIODIC_EVERY = {JOB: 0.001}
    scheduler.sync_rows()
    worker = in_process_worker()
    start = time.perf_counter()
    ran = 0
    while ran < ticks:
        scheduler.start_due()
        result, _reached = worker.claim()
        if result is not None:
            worker.run_task(result)
            ran += result.task_path.endswith("run_periodic")
    return ticks / (time.perf_counter() - start)


def measure_tasks(db: harness.BenchDatabase, workers: int, count: int) -> float:
    """Empty tasks per second with this many worker processes."""
    from django.db.models import Max, Min
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    clear_tasks()
    enqueue_gated(count)
    procs = start_workers(db, workers)
    try:
        open_gate()
        noops = DBTaskResult.objects.filter(task_path="pressdesk.work.tasks.noop")
        deadline = time.monotonic() + 600
        while noops.filter(status=TaskResultStatus.SUCCESSFUL).count() < count:
            if time.monotonic() > deadline:
                raise RuntimeError("the workers did not finish")
            time.sleep(0.1)
    finally:
        stop(procs)
    span = noops.aggregate(a=Min("started_at"), b=Max("finished_at"))
    return count / (span["b"] - span["a"]).total_seconds()


def measure_periodic(db: harness.BenchDatabase, workers: int, seconds: float) -> float:
    """Periodic ticks run per second with this many worker processes, each tick due at once."""
    from pressdesk.work.models import PeriodicJob

    clear_tasks()
    procs = start_workers(db, workers, PERIODIC_EVERY=f"{JOB}=0.001")
    try:
        # Let every worker reach its loop before the window opens.
        time.sleep(1.0)
        before, t0 = PeriodicJob.objects.get(name=JOB).runs, time.perf_counter()
        time.sleep(seconds)
        after, t1 = PeriodicJob.objects.get(name=JOB).runs, time.perf_counter()
    finally:
        stop(procs)
    return (after - before) / (t1 - t0)


def run(backend: str, args: argparse.Namespace) -> list[Figure]:
    figures: list[Figure] = []
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_worker")) as db:
        log(f"[{backend}] baselines in process")
        base_tasks = baseline_tasks(args.tasks)
        base_ticks = baseline_periodic(min(args.tasks, 500))
        for count in args.workers:
            log(f"[{backend}] {count} worker(s): {args.tasks} empty tasks")
            rate = measure_tasks(db, count, args.tasks)
            figures.append(
                Figure(
                    f"empty tasks, {count} worker(s)",
                    rate,
                    "/s",
                    base_tasks,
                    "one in-process loop",
                    backend=backend,
                    extra={"tasks": args.tasks},
                )
            )
            log(f"[{backend}] {count} worker(s): periodic ticks for {args.seconds:g} s")
            ticks = measure_periodic(db, count, args.seconds)
            figures.append(
                Figure(
                    f"periodic ticks, {count} worker(s)",
                    ticks,
                    "/s",
                    base_ticks,
                    "one in-process loop",
                    backend=backend,
                )
            )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--both", action="store_true", help="SQLite then PostgreSQL")
    parser.add_argument("--tasks", type=int, default=1000, help="empty tasks per run")
    parser.add_argument("--seconds", type=float, default=10.0, help="periodic window")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    backends = ["sqlite", "postgres"] if args.both else ["postgres" if args.postgres else "sqlite"]
    figures: list[Figure] = []
    for backend in backends:
        # Each backend in a process of its own: Django is set up once per process.
        if len(backends) > 1:
            command = [sys.executable, __file__, *sys.argv[1:]]
            command = [c for c in command if c != "--both"]
            if backend == "postgres":
                command.append("--postgres")
            subprocess.run(command, check=True)
            continue
        figures += run(backend, args)
    if figures:
        harness.report(figures, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
