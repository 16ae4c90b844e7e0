from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pressdesk import scheduler
from pressdesk.accounts.models import LoginAttempt


def test_it_runs_a_new_job_at_once_then_every_interval(jobs: Any) -> None:
    calls: list[int] = []
    scheduler.register_periodic("test.job", 60, lambda: calls.append(1))
    assert scheduler.run_due(now=1000.0) == 1
    assert scheduler.run_due(now=1059.0) == 0
    assert scheduler.seconds_until_due(now=1059.0) == pytest.approx(1.0)
    assert scheduler.run_due(now=1060.0) == 1
    assert calls == [1, 1]


def test_it_replaces_a_job_registered_again(jobs: Any) -> None:
    calls: list[str] = []
    scheduler.register_periodic("test.job", 60, lambda: calls.append("old"))
    scheduler.register_periodic("test.job", 60, lambda: calls.append("new"))
    scheduler.run_due(now=0.0)
    assert calls == ["new"]


def test_it_logs_a_failing_job_and_runs_the_others(
    jobs: Any, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def broken() -> None:
        raise RuntimeError("feed server down")

    scheduler.register_periodic("test.broken", 60, broken)
    scheduler.register_periodic("test.fine", 60, lambda: calls.append(1))
    assert scheduler.run_due(now=0.0) == 2
    assert calls == [1]
    assert "Periodic job test.broken failed" in caplog.text
    # It waits its interval like any other job rather than being retried on every loop.
    assert scheduler.run_due(now=1.0) == 0


def test_it_rejects_a_zero_interval(jobs: Any) -> None:
    with pytest.raises(ValueError):
        scheduler.register_periodic("test.job", 0, lambda: None)


def test_it_has_nothing_due_without_jobs(jobs: Any) -> None:
    assert scheduler.seconds_until_due() == float("inf")
    assert scheduler.run_due() == 0


def test_it_registers_the_login_attempt_pruning() -> None:
    assert scheduler.JOBS["accounts.prune_login_attempts"].func is scheduler.prune_login_attempts


@pytest.mark.django_db
def test_it_prunes_login_attempts_older_than_a_day() -> None:
    old = LoginAttempt.objects.create(email="a@example.org", ip="192.0.2.1")
    LoginAttempt.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=25))
    recent = LoginAttempt.objects.create(email="a@example.org", ip="192.0.2.1")
    assert scheduler.prune_login_attempts() == 1
    assert list(LoginAttempt.objects.all()) == [recent]
