"""Submit, decide, publish, schedule, withdraw by POST: roles, crafted posts, outsiders, 405."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.conftest import login
from pressdesk.releases import approval
from pressdesk.releases.models import Release, ReleaseEffect
from pressdesk.releases.tests import sample


def url(release: Release, action: str) -> str:
    return f"/o/acme/releases/{release.pk}/{action}/"


@pytest.fixture
def in_review(org: Organisation, bob: User) -> Release:
    release = sample.release(org, bob)
    approval.submit(release, member=sample.member(org, bob))
    return release


def test_it_submits(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_bob.post(url(release, "submit")).status_code == 302
    release.refresh_from_db()
    assert release.state == "in_review"
    assert AuditEntry.objects.filter(action="release.submit").count() == 1


def test_the_director_approves_the_version_shown(as_alice: Client, in_review: Release) -> None:
    version = in_review.current_version_id
    r = as_alice.post(url(in_review, "decide"), {"version": version, "decision": "approved"})
    assert r.status_code == 302
    in_review.refresh_from_db()
    assert in_review.state == "approved" and in_review.approved_version_id == version


def test_a_stale_version_is_refused(
    as_alice: Client, org: Organisation, bob: User, in_review: Release
) -> None:
    from pressdesk.releases import services

    shown = in_review.current_version_id
    services.save_version(in_review, services.Draft(title="Changé"), by=bob)
    as_alice.post(url(in_review, "decide"), {"version": shown, "decision": "approved"})
    in_review.refresh_from_db()
    assert in_review.state == "in_review"


@pytest.mark.parametrize("who", ["bob", "sam", "vera"])
def test_no_one_but_a_director_approves_by_crafted_post(
    client: Client, who: str, in_review: Release, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(who))
    r = client.post(
        url(in_review, "decide"),
        {"version": in_review.current_version_id, "decision": "approved"},
    )
    assert r.status_code == 403
    in_review.refresh_from_db()
    assert in_review.state == "in_review" and in_review.approved_version_id is None


@pytest.mark.parametrize("who", ["bob", "sam", "vera"])
def test_no_one_but_a_director_publishes_schedules_or_withdraws(
    client: Client,
    who: str,
    org: Organisation,
    alice: User,
    bob: User,
    request: pytest.FixtureRequest,
) -> None:
    release = sample.approved(org, bob, alice)
    login(client, request.getfixturevalue(who))
    assert client.post(url(release, "publish")).status_code == 403
    assert (
        client.post(url(release, "schedule"), {"day": "2030-01-01", "at": "10:00"}).status_code
        == 403
    )
    assert client.post(url(release, "withdraw")).status_code == 403
    release.refresh_from_db()
    assert release.state == "approved" and release.visible_from is None
    assert not ReleaseEffect.objects.for_org(org).exists()


def test_a_director_schedules_in_the_organisations_zone(
    as_alice: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice)
    r = as_alice.post(url(release, "schedule"), {"day": "2030-07-01", "at": "10:00"})
    assert r.status_code == 302
    release.refresh_from_db()
    assert release.state == "scheduled"
    assert release.embargo_until == datetime(2030, 7, 1, 8, 0, tzinfo=UTC)  # CEST is UTC+2
    assert AuditEntry.objects.filter(action="release.schedule").exists()


def test_a_skipped_hour_is_refused(
    as_alice: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice)
    # 28 March 2027: clocks go from 02:00 to 03:00 in Paris.
    r = as_alice.post(url(release, "schedule"), {"day": "2027-03-28", "at": "02:30"}, follow=True)
    release.refresh_from_db()
    assert release.state == "approved"
    assert "does not exist on that day" in r.content.decode()


def test_a_director_publishes_and_withdraws(
    as_alice: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice)
    as_alice.post(url(release, "publish"))
    release.refresh_from_db()
    assert release.is_public()
    as_alice.post(url(release, "withdraw"), {"reason": "Erreur de chiffre"})
    release.refresh_from_db()
    assert release.state == "withdrawn" and not release.is_public()
    assert release.withdrawn_reason == "Erreur de chiffre"
    assert all(e.cancelled_at or e.state != "pending" for e in release.effects.all())


def test_an_outsider_gets_404_everywhere(
    as_charlie: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice)
    for action in ("submit", "decide", "publish", "schedule", "withdraw"):
        assert as_charlie.post(url(release, action)).status_code == 404
    release.refresh_from_db()
    assert release.state == "approved"


def test_actions_reject_get(as_alice: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    for action in ("submit", "decide", "publish", "schedule", "withdraw"):
        assert as_alice.get(url(release, action)).status_code == 405
