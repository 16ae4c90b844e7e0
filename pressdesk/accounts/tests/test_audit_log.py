from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from pressdesk.accounts import audit
from pressdesk.accounts.models import AuditEntry, Organisation, User

URL = "/o/acme/audit/"
PARIS = ZoneInfo("Europe/Paris")


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "release.approve" in html
    assert "alice@example.org" in html


def test_it_shows_only_this_organisation(
    as_alice: Client, org: Organisation, other_org: Organisation
) -> None:
    audit.record("secret.thing", org=other_org)
    assert "secret.thing" not in as_alice.get(URL).content.decode()


def test_it_filters_by_action(as_alice: Client, alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("mailing.send", org=org, actor=alice)
    html = as_alice.get(URL, {"action": "mailing"}).content.decode()
    assert "mailing.send" in html
    assert "release.approve" not in html


def test_it_filters_by_actor(as_alice: Client, alice: User, bob: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("mailing.send", org=org, actor=bob)
    # By name as well as by address.
    html = as_alice.get(URL, {"actor": "Bob Off"}).content.decode()
    assert "mailing.send" in html
    assert "release.approve" not in html
    html = as_alice.get(URL, {"actor": "alice@"}).content.decode()
    assert "release.approve" in html
    assert "mailing.send" not in html


def test_it_filters_by_date_in_the_organisations_time_zone(
    as_alice: Client, org: Organisation
) -> None:
    # 23:30 in Paris on 1 March is 22:30 UTC: it belongs to 1 March for the team.
    late = datetime(2026, 3, 1, 23, 30, tzinfo=PARIS)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(org=org, action="late.on.the.first", created=late),
            AuditEntry(org=org, action="on.the.second", created=late + timedelta(hours=1)),
            AuditEntry(org=org, action="in.february", created=late - timedelta(days=5)),
        ]
    )
    html = as_alice.get(URL, {"since": "2026-03-01", "until": "2026-03-01"}).content.decode()
    assert "late.on.the.first" in html
    assert "on.the.second" not in html
    assert "in.february" not in html
    html = as_alice.get(URL, {"since": "2026-03-02"}).content.decode()
    assert "on.the.second" in html
    assert "late.on.the.first" not in html


def test_it_pages(as_alice: Client, org: Organisation) -> None:
    AuditEntry.objects.bulk_create([AuditEntry(org=org, action=f"a.{n}") for n in range(60)])
    html = as_alice.get(URL, {"action": "a."}).content.decode()
    assert "action=a.&amp;page=2" in html
    r = as_alice.get(URL, {"action": "a.", "page": 2})
    assert r.status_code == 200


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_is_for_directors_only(as_bob: Client) -> None:
    assert as_bob.get(URL).status_code == 403


def test_it_forbids_a_viewer(as_vera: Client) -> None:
    assert as_vera.get(URL).status_code == 403


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client, org: Organisation) -> None:
    assert client.get(URL).status_code == 302
