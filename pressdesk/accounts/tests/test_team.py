from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Invitation, Organisation, User
from pressdesk.accounts.tests.utils import make_invitation

URL = "/o/acme/team/"


def test_it_works(as_alice: Client, bob: User, vera: User) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "bob@example.org" in html and "vera@example.org" in html
    # A director can invite and change roles.
    assert 'action="/o/acme/team/invite/"' in html


def test_it_lists_only_usable_invitations(as_alice: Client, org: Organisation) -> None:
    make_invitation(org, "pending@example.org")
    old, _ = make_invitation(org, "expired@example.org")
    Invitation.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=15))
    html = as_alice.get(URL).content.decode()
    assert "pending@example.org" in html
    assert "expired@example.org" not in html


def test_it_is_read_only_for_a_viewer(as_vera: Client, alice: User) -> None:
    r = as_vera.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "alice@example.org" in html
    assert "/team/invite/" not in html
    assert "/role/" not in html


def test_it_does_not_show_other_teams(as_alice: Client, charlie: User) -> None:
    assert "charlie@example.org" not in as_alice.get(URL).content.decode()


def test_it_checks_ownership(as_charlie: Client, alice: User) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_404s_for_an_unknown_organisation(as_alice: Client) -> None:
    assert as_alice.get("/o/nowhere/team/").status_code == 404


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client, alice: User) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/o/acme/team/"
