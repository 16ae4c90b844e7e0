from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.work.models import WorkerHeartbeat


@pytest.mark.django_db
def test_it_works(client: Client) -> None:
    r = client.get("/health/")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "worker_alive": False}


@pytest.mark.django_db
def test_it_sees_a_live_worker(client: Client) -> None:
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="h", pid=1, last_seen=timezone.now())
    assert client.get("/health/").json()["worker_alive"] is True


@pytest.mark.django_db
def test_it_rejects_post(client: Client) -> None:
    assert client.post("/health/").status_code == 405
