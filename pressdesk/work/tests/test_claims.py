"""The claim rules on real rows, in one process: conditional UPDATEs and the sweeper's rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import gdpr
from pressdesk.contacts.models import ImportJob, NoticeSend
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.tests import tasks as test_tasks
from pressdesk.work import claims, sweeper
from pressdesk.work.models import WorkerHeartbeat

LATER = timedelta(hours=1)


@pytest.fixture
def sends(org: Organisation, bob: User) -> list[NoticeSend]:
    for n in range(3):
        person(org, f"P{n}", "X", emails=[f"p{n}@example.fr"], source_kind="import")
    gdpr.queue_notices(org, by=bob)
    return list(NoticeSend.objects.all())


@pytest.fixture
def job(org: Organisation) -> ImportJob:
    return ImportJob.objects.create(org=org, filename="a.csv", file_format="csv", state="pending")


@pytest.mark.django_db
def test_a_row_is_claimed_once(job: ImportJob) -> None:
    assert claims.claim(ImportJob, job.pk, by="w1") is not None
    assert claims.claim(ImportJob, job.pk, by="w2") is None
    job.refresh_from_db()
    assert (job.state, job.claimed_by, job.attempts) == ("claimed", "w1", 1)
    assert job.lease_until > timezone.now()


@pytest.mark.django_db
def test_a_batch_claim_takes_each_row_once(sends: list[NoticeSend]) -> None:
    first = claims.claim_batch(NoticeSend.objects.all(), 2, by="w1")
    second = claims.claim_batch(NoticeSend.objects.all(), 2, by="w2")
    assert [r.pk for r in first] == [sends[0].pk, sends[1].pk]
    assert [r.pk for r in second] == [sends[2].pk]
    assert claims.claim_batch(NoticeSend.objects.all(), 2, by="w3") == []


@pytest.mark.django_db
def test_only_the_owner_finishes_and_its_writes_roll_back_otherwise(job: ImportJob) -> None:
    mine = claims.claim(ImportJob, job.pk, by="w1")
    assert mine is not None
    with pytest.raises(claims.LostClaim), transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(source_label="written by w2")
        claims.finish(mine, by="w2")
    job.refresh_from_db()
    assert (job.state, job.source_label) == ("claimed", "")
    claims.finish(mine, by="w1", status=ImportJob.DONE)
    job.refresh_from_db()
    assert (job.state, job.status, job.lease_until) == ("done", "done", None)


@pytest.mark.django_db
def test_the_heartbeat_renews_only_its_own_leases(job: ImportJob, sends: list[NoticeSend]) -> None:
    claims.claim(ImportJob, job.pk, by="w1")
    claims.claim_batch(NoticeSend.objects.all(), 1, by="w2")
    ImportJob.objects.update(lease_until=timezone.now())
    assert claims.renew_leases("w1") == 1
    assert ImportJob.objects.get().lease_until > timezone.now() + timedelta(seconds=30)


@pytest.mark.django_db
def test_the_sweeper_redoes_safe_work_and_interrupts_the_rest(
    job: ImportJob, sends: list[NoticeSend]
) -> None:
    claims.claim(ImportJob, job.pk, by="dead")
    # The dead worker had claimed two mails and handed the first to the mail server.
    claims.claim_batch(NoticeSend.objects.all(), 2, by="dead")
    NoticeSend.objects.filter(pk=sends[0].pk).update(outcome="sending")
    claims.claim_batch(NoticeSend.objects.all(), 1, by="alive")
    NoticeSend.objects.filter(claimed_by="alive").update(lease_until=timezone.now() + LATER)
    DBTaskResult.objects.all().delete()

    done = sweeper.sweep(now=timezone.now() + timedelta(seconds=120))
    assert (done.requeued, done.interrupted) == (2, 1)
    job.refresh_from_db()
    assert (job.state, job.claimed_by) == ("pending", "")
    states = dict(NoticeSend.objects.values_list("pk", "state"))
    assert states == {sends[0].pk: "interrupted", sends[1].pk: "pending", sends[2].pk: "claimed"}
    # Pending rows without a wake-up get one; the mail whose fate is unknown is never resent.
    woken = sorted(r.args_kwargs["args"][0] for r in DBTaskResult.objects.all())
    assert woken == sorted([job.pk, sends[1].pk])
    assert sweeper.sweep().woken == 0  # their wake-ups now exist


@pytest.mark.django_db
def test_work_that_keeps_killing_its_worker_is_interrupted(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk).update(attempts=19)
    claims.claim(ImportJob, job.pk, by="dead")
    sweeper.sweep(now=timezone.now() + timedelta(seconds=120))
    job.refresh_from_db()
    assert job.state == "interrupted"


@pytest.mark.django_db
def test_a_task_running_under_a_dead_worker_is_failed() -> None:
    old = timezone.now() - timedelta(minutes=10)
    lost = test_tasks.fail.enqueue()
    kept = test_tasks.fail.enqueue()
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1)
    WorkerHeartbeat.objects.create(worker_id="dead", hostname="h", pid=2, last_seen=old)
    DBTaskResult.objects.filter(pk=lost.id).update(
        status=TaskResultStatus.RUNNING, started_at=old, worker_ids=["dead"]
    )
    DBTaskResult.objects.filter(pk=kept.id).update(
        status=TaskResultStatus.RUNNING, started_at=old, worker_ids=["alive"]
    )
    assert sweeper.sweep().failed_results == 1
    assert DBTaskResult.objects.get(pk=lost.id).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(pk=kept.id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_batches_are_woken_once_per_batch_not_once_per_row(
    org: Organisation, other_org: Organisation, bob: User, charlie: User
) -> None:
    for n in range(120):
        person(org, f"P{n}", "X", emails=[f"p{n}@example.fr"], source_kind="import")
    person(other_org, "Zoé", "Y", emails=["zoe@example.fr"], source_kind="import")
    gdpr.queue_notices(org, by=bob)
    gdpr.queue_notices(other_org, by=charlie)
    # Three wake-ups for 120 rows of one organisation (batches of 50), one for the other.
    assert DBTaskResult.objects.count() == 4
    assert sweeper.sweep().woken == 0
    DBTaskResult.objects.all().delete()
    assert sweeper.sweep().woken == 4


@pytest.mark.django_db
def test_a_failed_tasks_claims_are_settled_at_once_not_renewed_forever(
    sends: list[NoticeSend],
) -> None:
    # The failed task had claimed two mails and handed the first to the mail server.
    claims.claim_batch(NoticeSend.objects.all(), 2, by="w1")
    NoticeSend.objects.filter(pk=sends[0].pk).update(outcome="sending")
    claims.claim_batch(NoticeSend.objects.all(), 1, by="w2")
    DBTaskResult.objects.all().delete()

    assert sweeper.release_claims_of("w1") == (1, 1)
    states = dict(NoticeSend.objects.values_list("pk", "state"))
    # Unknown stays unknown; the mail not yet started waits again, with a wake-up; another
    # worker's claim is left alone.
    assert states == {sends[0].pk: "interrupted", sends[1].pk: "pending", sends[2].pk: "claimed"}
    assert [r.args_kwargs["args"][0] for r in DBTaskResult.objects.all()] == [sends[1].pk]
    assert claims.renew_leases("w1") == 0
