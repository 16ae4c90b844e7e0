from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from pressdesk.accounts import services
from pressdesk.accounts.models import AuditEntry, Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import member


def _url(membership: Membership, slug: str = "acme") -> str:
    return f"/o/{slug}/team/{membership.pk}/role/"


def test_it_works(as_alice: Client, alice: User, bob: User, org: Organisation) -> None:
    m = member(bob, org)
    r = as_alice.post(_url(m), {"role": Role.DIRECTOR})
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/team/"
    m.refresh_from_db()
    assert m.role == Role.DIRECTOR


def test_it_writes_the_audit_log(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    m = member(bob, org)
    as_alice.post(_url(m), {"role": Role.VIEWER})
    entry = AuditEntry.objects.get(action="team.role_change")
    assert (entry.org, entry.actor, entry.object_id) == (org, alice, str(m.pk))
    assert entry.data == {"old": Role.PRESS_OFFICER, "new": Role.VIEWER}


def test_it_keeps_the_last_director(as_alice: Client, alice: User, org: Organisation) -> None:
    m = member(alice, org)
    r = as_alice.post(_url(m), {"role": Role.VIEWER}, follow=True)
    assert "An organisation needs at least one director." in r.content.decode()
    m.refresh_from_db()
    assert m.role == Role.DIRECTOR
    assert not AuditEntry.objects.filter(action="team.role_change").exists()


def test_it_lets_a_director_step_down_when_another_remains(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    Membership.objects.filter(user=bob).update(role=Role.DIRECTOR)
    m = member(alice, org)
    as_alice.post(_url(m), {"role": Role.PRESS_OFFICER})
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_it_refuses_an_unknown_role(as_alice: Client, bob: User, org: Organisation) -> None:
    m = member(bob, org)
    r = as_alice.post(_url(m), {"role": "owner"}, follow=True)
    assert "Please choose a role." in r.content.decode()
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_it_checks_ownership(as_charlie: Client, bob: User, org: Organisation) -> None:
    m = member(bob, org)
    assert as_charlie.post(_url(m), {"role": Role.DIRECTOR}).status_code == 404
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_it_does_not_reach_another_teams_member(
    as_charlie: Client, bob: User, org: Organisation
) -> None:
    m = member(bob, org)
    assert as_charlie.post(_url(m, "other"), {"role": Role.VIEWER}).status_code == 404
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_it_is_for_directors_only(as_bob: Client, bob: User, org: Organisation) -> None:
    # A press officer cannot promote themself.
    m = member(bob, org)
    assert as_bob.post(_url(m), {"role": Role.DIRECTOR}).status_code == 403
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_it_forbids_a_viewer(as_vera: Client, vera: User, org: Organisation) -> None:
    assert as_vera.post(_url(member(vera, org)), {"role": Role.DIRECTOR}).status_code == 403


def test_it_rejects_get(as_alice: Client, bob: User, org: Organisation) -> None:
    assert as_alice.get(_url(member(bob, org))).status_code == 405


def test_it_requires_login(client: Client, bob: User, org: Organisation) -> None:
    m = member(bob, org)
    assert client.post(_url(m), {"role": Role.DIRECTOR}).status_code == 302
    m.refresh_from_db()
    assert m.role == Role.PRESS_OFFICER


def test_two_directors_cannot_both_step_down_at_once(committing_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers anyway; the row locks matter on PostgreSQL")
    org = Organisation.objects.create(name="Race", slug="race")
    directors = [
        Membership.objects.create(
            user=User.objects.create_user(f"d{n}@example.org"), org=org, role=Role.DIRECTOR
        )
        for n in range(2)
    ]
    start = threading.Barrier(2)
    refused: list[str] = []

    def step_down(membership: Membership) -> None:
        try:
            start.wait()
            services.change_role(membership, Role.VIEWER, by=membership.user)
        except services.TeamError as e:
            refused.append(str(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in directors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refused) == 1
    assert Membership.objects.filter(org=org, role=Role.DIRECTOR).count() == 1
