from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import ApiToken, AuditEntry, Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import api_token, member


def _url(membership: Membership, slug: str = "acme") -> str:
    return f"/o/{slug}/team/{membership.pk}/remove/"


def test_it_works(as_alice: Client, alice: User, bob: User, org: Organisation) -> None:
    m = member(bob, org)
    r = as_alice.post(_url(m))
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/team/"
    assert not Membership.objects.filter(pk=m.pk).exists()
    # Bob keeps his account; he just no longer belongs to Acme.
    assert User.objects.filter(pk=bob.pk).exists()
    entry = AuditEntry.objects.get(action="team.remove")
    assert (entry.org, entry.actor, entry.object_id) == (org, alice, str(m.pk))


def test_it_revokes_the_members_tokens(as_alice: Client, bob: User, org: Organisation) -> None:
    api_token(bob, org)
    as_alice.post(_url(member(bob, org)))
    assert not ApiToken.objects.exists()


def test_it_keeps_the_last_director(as_alice: Client, alice: User, org: Organisation) -> None:
    r = as_alice.post(_url(member(alice, org)), follow=True)
    assert "An organisation needs at least one director." in r.content.decode()
    assert Membership.objects.filter(user=alice, role=Role.DIRECTOR).exists()


def test_a_director_can_leave_when_another_remains(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    Membership.objects.filter(user=bob).update(role=Role.DIRECTOR)
    r = as_alice.post(_url(member(alice, org)))
    assert r["Location"] == "/"
    assert not Membership.objects.filter(user=alice).exists()


def test_it_checks_ownership(as_charlie: Client, bob: User, org: Organisation) -> None:
    assert as_charlie.post(_url(member(bob, org))).status_code == 404
    assert Membership.objects.filter(user=bob).exists()


def test_it_does_not_reach_another_teams_member(
    as_charlie: Client, bob: User, org: Organisation
) -> None:
    assert as_charlie.post(_url(member(bob, org), "other")).status_code == 404
    assert Membership.objects.filter(user=bob).exists()


def test_it_is_for_directors_only(as_bob: Client, alice: User, org: Organisation) -> None:
    assert as_bob.post(_url(member(alice, org))).status_code == 403
    assert Membership.objects.filter(user=alice).exists()


def test_it_forbids_a_viewer(as_vera: Client, bob: User, org: Organisation) -> None:
    assert as_vera.post(_url(member(bob, org))).status_code == 403


def test_it_rejects_get(as_alice: Client, bob: User, org: Organisation) -> None:
    assert as_alice.get(_url(member(bob, org))).status_code == 405
    assert Membership.objects.filter(user=bob).exists()


def test_it_requires_login(client: Client, bob: User, org: Organisation) -> None:
    assert client.post(_url(member(bob, org))).status_code == 302
    assert Membership.objects.filter(user=bob).exists()
