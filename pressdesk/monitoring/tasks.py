"""Wake-up tasks of monitoring. Each carries one row id; the row holds the work's state, so a
lost or repeated wake-up changes nothing (docs/decisions/0002-durable-work.md)."""

from __future__ import annotations

from django_tasks import task

from pressdesk.monitoring import pipeline, polling


@task()
def poll_source(poll_id: int) -> None:
    """Poll one source, if its poll is still waiting for a worker."""
    polling.run_poll(poll_id)


@task()
def process_item(item_id: int) -> None:
    """Run one article through the pipeline, if it is still waiting for a worker."""
    pipeline.process(item_id)
