from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import gdpr
from pressdesk.contacts.models import NoticeSend
from pressdesk.contacts.tests.gdpr_support import person
from pressdesk.work.models import PeriodicJob, WorkerHeartbeat


def url(org: Organisation) -> str:
    return f"/o/{org.slug}/work/"


def interrupted(org: Organisation, by: User, name: str = "Marie") -> NoticeSend:
    """A notice whose worker died mid-send, as the sweeper leaves it."""
    contact = person(
        org, name, "Dupont", emails=[f"{name.lower()}@example.fr"], source_kind="import"
    )
    gdpr.queue_notices(org, by=by)
    row = NoticeSend.objects.get(contact=contact)
    NoticeSend.objects.filter(pk=row.pk).update(
        state="interrupted", claimed_by="dead-worker", error="The worker stopped."
    )
    return row


@pytest.mark.django_db
def test_it_shows_workers_queue_interrupted_work_and_periodic_jobs(
    as_alice: Client, org: Organisation, alice: User
) -> None:
    WorkerHeartbeat.objects.create(worker_id="press-1", hostname="press-1", pid=42)
    PeriodicJob.objects.create(
        name="accounts.prune_login_attempts", every_seconds=3600, last_run_at=timezone.now()
    )
    row = interrupted(org, alice)
    r = as_alice.get(url(org))
    assert r.status_code == 200
    body = r.content.decode()
    assert "press-1" in body
    assert "accounts.prune_login_attempts" in body
    assert "every hour" in body
    assert "Interrupted work waiting for a decision" in body
    assert "a mail may have left" in body
    assert f"/o/{org.slug}/work/contacts.gdpr_mail/{row.pk}/retry/" in body


@pytest.mark.django_db
def test_it_shows_when_no_worker_runs(as_alice: Client, org: Organisation) -> None:
    body = as_alice.get(url(org)).content.decode()
    assert "No worker is running" in body
    assert "Nothing is waiting for a decision." in body


@pytest.mark.django_db
def test_a_director_retries_interrupted_work(
    as_alice: Client, org: Organisation, alice: User
) -> None:
    row = interrupted(org, alice)
    DBTaskResult.objects.all().delete()
    r = as_alice.post(f"{url(org)}contacts.gdpr_mail/{row.pk}/retry/", follow=True)
    assert "The work is queued again." in r.content.decode()
    row.refresh_from_db()
    assert (row.state, row.claimed_by, row.error) == ("pending", "", "")
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [row.pk]
    entry = AuditEntry.objects.get(action="work.retry")
    assert (entry.actor, entry.org, entry.data["kind"]) == (alice, org, "contacts.gdpr_mail")


@pytest.mark.django_db
def test_a_director_abandons_interrupted_work(
    as_alice: Client, org: Organisation, alice: User
) -> None:
    row = interrupted(org, alice)
    r = as_alice.post(f"{url(org)}contacts.gdpr_mail/{row.pk}/abandon/", follow=True)
    assert "The work is abandoned." in r.content.decode()
    row.refresh_from_db()
    assert row.state == "failed"
    assert AuditEntry.objects.filter(action="work.abandon", actor=alice).count() == 1
    # Decided once: a second click finds nothing to decide.
    again = as_alice.post(f"{url(org)}contacts.gdpr_mail/{row.pk}/abandon/")
    assert again.status_code == 404


@pytest.mark.django_db
def test_it_hides_another_organisations_work(
    as_alice: Client, org: Organisation, other_org: Organisation, charlie: User
) -> None:
    theirs = interrupted(other_org, charlie, "Zoé")
    assert "zoé" not in as_alice.get(url(org)).content.decode().lower()
    r = as_alice.post(f"{url(org)}contacts.gdpr_mail/{theirs.pk}/retry/")
    assert r.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "interrupted"


@pytest.mark.django_db
def test_it_is_for_directors_only(as_bob: Client, org: Organisation, alice: User) -> None:
    row = interrupted(org, alice)
    assert as_bob.get(url(org)).status_code == 403
    assert as_bob.post(f"{url(org)}contacts.gdpr_mail/{row.pk}/retry/").status_code == 403


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(url(org)).status_code == 404


@pytest.mark.django_db
def test_it_rejects_a_get_on_a_decision(as_alice: Client, org: Organisation, alice: User) -> None:
    row = interrupted(org, alice)
    assert as_alice.get(f"{url(org)}contacts.gdpr_mail/{row.pk}/retry/").status_code == 405


@pytest.mark.django_db
def test_the_directors_menu_links_it(as_alice: Client, org: Organisation) -> None:
    assert url(org) in as_alice.get(f"/o/{org.slug}/").content.decode()


@pytest.mark.django_db
def test_other_roles_have_no_link(as_bob: Client, org: Organisation) -> None:
    assert url(org) not in as_bob.get(f"/o/{org.slug}/").content.decode()
