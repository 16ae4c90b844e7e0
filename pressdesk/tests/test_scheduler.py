from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk import scheduler
from pressdesk.accounts.models import LoginAttempt
from pressdesk.accounts.throttle import prune_login_attempts
from pressdesk.work.models import PeriodicJob
from pressdesk.work.tasks import run_periodic

T0 = timezone.now().replace(microsecond=0)


def at(seconds: float) -> Any:
    return T0 + timedelta(seconds=seconds)


@pytest.mark.django_db
def test_it_stores_registered_jobs_due_at_once(jobs: Any) -> None:
    scheduler.register_periodic("test.job", 60, lambda: None)
    assert not PeriodicJob.objects.exists()  # registering touches no database
    scheduler.sync_rows(now=at(0))
    job = PeriodicJob.objects.get()
    assert (job.name, job.every_seconds, job.next_run_at) == ("test.job", 60, at(0))


@pytest.mark.django_db
def test_a_tick_is_won_once_whoever_asks(jobs: Any) -> None:
    scheduler.register_periodic("test.job", 60, lambda: None)
    scheduler.sync_rows(now=at(0))
    # Two workers looking at the same due row: only one conditional UPDATE moves it forward.
    stale = PeriodicJob.objects.get()
    assert scheduler.start_due(now=at(1)) == 1
    assert (
        PeriodicJob.objects.filter(pk=stale.pk, next_run_at=stale.next_run_at).update(
            next_run_at=at(120)
        )
        == 0
    )
    assert scheduler.start_due(now=at(2)) == 0
    assert PeriodicJob.objects.get().next_run_at == at(60)
    (result,) = DBTaskResult.objects.all()
    assert result.task_path == "pressdesk.work.tasks.run_periodic"
    assert result.args_kwargs["args"] == [stale.pk]


@pytest.mark.django_db
def test_a_missed_tick_runs_once_after_downtime(jobs: Any) -> None:
    scheduler.register_periodic("test.job", 60, lambda: None)
    scheduler.sync_rows(now=at(0))
    assert scheduler.start_due(now=at(10 * 3600 + 5)) == 1
    assert scheduler.start_due(now=at(10 * 3600 + 6)) == 0
    # Back on the job's grid, in the future.
    assert PeriodicJob.objects.get().next_run_at == at(10 * 3600 + 60)
    assert scheduler.seconds_until_due(now=at(10 * 3600 + 6)) == pytest.approx(54)


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_waits_its_turn(jobs: Any) -> None:
    def broken() -> None:
        raise RuntimeError("feed server down")

    scheduler.register_periodic("test.broken", 60, broken)
    scheduler.sync_rows()
    scheduler.start_due()
    job = PeriodicJob.objects.get()
    assert run_periodic.call(job.pk) is False
    job.refresh_from_db()
    assert (job.runs, job.last_ok) == (1, False)
    assert "feed server down" in job.last_error
    assert scheduler.start_due() == 0


@pytest.mark.django_db
def test_a_job_past_its_time_limit_is_stopped(jobs: Any) -> None:
    def endless() -> None:
        while True:
            pass

    scheduler.register_periodic("test.endless", 60, endless, time_limit=0.2)
    scheduler.sync_rows()
    job = PeriodicJob.objects.get()
    assert run_periodic.call(job.pk) is False
    job.refresh_from_db()
    assert job.last_error.startswith("TimeLimitExceeded")


@pytest.mark.django_db
def test_an_operator_can_change_an_interval(jobs: Any, settings: Any) -> None:
    scheduler.register_periodic("test.job", 3600, lambda: None)
    scheduler.sync_rows(now=at(0))
    scheduler.start_due(now=at(0))
    settings.PERIODIC_EVERY = {"test.job": 5}
    scheduler.sync_rows(now=at(1))
    job = PeriodicJob.objects.get()
    assert job.every_seconds == 5
    assert job.next_run_at == at(6)


def test_it_rejects_a_zero_interval(jobs: Any) -> None:
    with pytest.raises(ValueError):
        scheduler.register_periodic("test.job", 0, lambda: None)


@pytest.mark.django_db
def test_it_has_nothing_due_without_jobs(jobs: Any) -> None:
    assert scheduler.seconds_until_due() == float("inf")
    assert scheduler.start_due() == 0


def test_accounts_registers_the_login_attempt_pruning() -> None:
    assert scheduler.JOBS["accounts.prune_login_attempts"].func is prune_login_attempts


@pytest.mark.django_db
def test_it_prunes_login_attempts_older_than_a_day() -> None:
    old = LoginAttempt.objects.create(email="a@example.org", ip="192.0.2.1")
    LoginAttempt.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(hours=25))
    recent = LoginAttempt.objects.create(email="a@example.org", ip="192.0.2.1")
    assert prune_login_attempts() == 1
    assert list(LoginAttempt.objects.all()) == [recent]
