"""Tasks that only the tests enqueue."""

from __future__ import annotations

import os

from django_tasks import task


@task()
def wait_for_go(ready_fifo: str, go_fifo: str) -> str:
    """Say "running" on one FIFO, then block until the test writes to the other."""
    with open(ready_fifo, "w") as ready:
        ready.write("running\n")
    with open(go_fifo) as go:
        return go.readline().strip()


@task()
def fail() -> None:
    """A task that raises, to show one failure does not stop the worker."""
    raise RuntimeError(f"failing on purpose in {os.getpid()}")
