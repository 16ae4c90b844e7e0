from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.conftest import login


def test_it_goes_straight_to_the_only_organisation(as_alice: Client) -> None:
    r = as_alice.get("/")
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/"


def test_it_lets_a_member_of_several_choose(
    as_charlie: Client, charlie: User, org: Organisation
) -> None:
    Membership.objects.create(user=charlie, org=org, role=Role.VIEWER)
    r = as_charlie.get("/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'href="/o/acme/"' in html and 'href="/o/other/"' in html


def test_it_explains_when_there_is_no_organisation(client: Client, db: None) -> None:
    loner = User.objects.create_user("loner@example.org", "x", language="en")
    r = login(client, loner).get("/")
    assert r.status_code == 200
    assert "not a member of any organisation" in r.content.decode()


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post("/").status_code == 405


def test_it_requires_login(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/"
