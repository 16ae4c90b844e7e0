"""Whether a background worker has been seen alive lately."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pressdesk.work.models import WorkerHeartbeat


def worker_alive() -> bool:
    """True if some worker reported in within WORKER_ALIVE_SECONDS."""
    since = timezone.now() - timedelta(seconds=settings.WORKER_ALIVE_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=since).exists()
