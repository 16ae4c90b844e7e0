"""Wake-up task of the newsroom's mails to subscribers: it carries one row id; the row holds the
work's state, so a lost or repeated wake-up changes nothing."""

from __future__ import annotations

from django_tasks import task

from pressdesk.releases import subscriptions


@task()
def send_subscriber_mails(mail_id: int) -> None:
    """Send a batch of a release's queued mails to subscribers (this row's first)."""
    subscriptions.process(mail_id)
