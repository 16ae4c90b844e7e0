"""Background tasks of the project itself. `ping` proves end to end that a worker runs tasks."""

from __future__ import annotations

import os
import socket

from django_tasks import task

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation


@task()
def ping(org_id: int | None = None) -> str:
    """Write a "worker.ping" audit entry from whichever worker ran it; return its host name."""
    org = Organisation.objects.filter(pk=org_id).first() if org_id is not None else None
    host = socket.gethostname()
    audit.record("worker.ping", org=org, actor_label="worker", host=host, pid=os.getpid())
    return host
