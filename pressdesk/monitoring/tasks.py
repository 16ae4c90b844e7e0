"""Wake-up tasks of monitoring. Each carries one row id; the row holds the work's state, so a
lost or repeated wake-up changes nothing (docs/decisions/0002-durable-work.md)."""

from __future__ import annotations

from django_tasks import task


@task()
def poll_source(poll_id: int) -> None:
    """Poll one source, if its poll is still waiting for a worker."""
    from pressdesk.monitoring import polling

    polling.run_poll(poll_id)


@task()
def process_item(item_id: int) -> None:
    """Run one article through the pipeline, if it is still waiting for a worker, with the
    organisation's other waiting articles (one transaction for what a poll found)."""
    # Imported here: the pipeline loads the parsers and the matcher, which apps.ready() need not.
    from pressdesk.monitoring import pipeline

    pipeline.process_pending(item_id)


@task()
def send_alert(mail_id: int) -> None:
    """Send one alert mail, if it is still waiting."""
    from pressdesk.monitoring import alerts

    alerts.send(mail_id)
