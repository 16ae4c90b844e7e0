"""The embargo with a frozen clock at T−1 s, T and T+1 s, on both daylight-saving changes in
Europe/Paris, over the paths this part owns: the public rule, the list page, the API, the
command line, the global search and the side effects."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.contacts.tests.test_api_contacts import bearer
from pressdesk.releases import effects, embargo
from pressdesk.releases.global_search import releases as search_releases
from pressdesk.releases.models import Release, public_q
from pressdesk.releases.tests import sample

SECOND = timedelta(seconds=1)

# The first minutes after the clocks change: 28 March 2027 03:00 CEST (clocks jumped from 02:00),
# and 31 October 2027 03:00 CET (the hour from 02:00 to 03:00 was lived twice).
CASES = [
    pytest.param(
        date(2027, 3, 28), time(3, 0), datetime(2027, 3, 28, 1, 0, tzinfo=UTC), id="spring"
    ),
    pytest.param(
        date(2027, 10, 31), time(3, 0), datetime(2027, 10, 31, 2, 0, tzinfo=UTC), id="autumn"
    ),
]


def test_wall_times_the_change_skips_or_repeats_are_refused() -> None:
    with pytest.raises(embargo.EmbargoError):
        embargo.to_instant(date(2027, 3, 28), time(2, 30), "Europe/Paris")
    with pytest.raises(embargo.EmbargoError):
        embargo.to_instant(date(2027, 10, 31), time(2, 30), "Europe/Paris")


def _scheduled(org: Organisation, alice: User, bob: User, day: date, at: time) -> Release:
    instant = embargo.to_instant(day, at, org.timezone)
    with time_machine.travel(instant - timedelta(days=2), tick=False):
        return sample.scheduled(org, bob, alice, instant)


def _api_state(client: Client, headers: dict[str, str], release: Release) -> str:
    r = client.get(f"/api/v1/releases/{release.pk}", **headers)
    assert r["Cache-Control"] == "no-store"
    return str(r.json()["state"])


def _listed(client: Client, alice: User) -> str:
    """The list page's published releases, logged in at the travelled time (sessions expire)."""
    login(client, alice)
    r = client.get("/o/acme/releases/?state=published")
    assert r.status_code == 200
    return r.content.decode()


def _cli_state(org: Organisation, release: Release) -> str:
    out = StringIO()
    call_command("releases", "list", "--json", "--org", org.slug, stdout=out)
    return next(r["state"] for r in json.loads(out.getvalue()) if r["id"] == release.pk)


@pytest.mark.parametrize(("day", "at", "instant"), CASES)
def test_the_embargo_holds_to_the_second(
    client: Client,
    org: Organisation,
    alice: User,
    bob: User,
    day: date,
    at: time,
    instant: datetime,
) -> None:
    release = _scheduled(org, alice, bob, day, at)
    assert release.embargo_until == instant == release.visible_from
    headers = bearer(alice)

    def public() -> list[Release]:
        # Built at each moment: public_q() reads the clock when the query is made.
        return list(Release.objects.for_org(org).filter(public_q()))

    with time_machine.travel(instant - SECOND, tick=False):
        assert public() == [] and not release.is_public()
        assert _api_state(client, headers, release) == "scheduled"
        assert _cli_state(org, release) == "scheduled"
        assert "Journée" not in _listed(client, alice)
        assert search_releases(org, "journee", 5)[0].detail == "Scheduled"
        assert effects.run_due() == 0
        assert embargo.record_lifted() == 0

    for moment in (instant, instant + SECOND):
        with time_machine.travel(moment, tick=False):
            assert public() == [release] and release.is_public()
            assert _api_state(client, headers, release) == "published"
            assert _cli_state(org, release) == "published"
            assert "Journée" in _listed(client, alice)
            assert search_releases(org, "journee", 5)[0].detail == "Published"

    with time_machine.travel(instant, tick=False):
        assert effects.run_due() == 2
        assert embargo.record_lifted() == 1


@pytest.mark.parametrize(("day", "at", "instant"), CASES)
def test_withdrawing_before_the_instant_cancels_everything(
    org: Organisation, alice: User, bob: User, day: date, at: time, instant: datetime
) -> None:
    release = _scheduled(org, alice, bob, day, at)
    with time_machine.travel(instant - SECOND, tick=False):
        assert embargo.withdraw(release, member=sample.member(org, alice)) == 2
    with time_machine.travel(instant + SECOND, tick=False):
        assert not Release.objects.for_org(org).filter(public_q()).exists()
        assert effects.run_due() == 0
