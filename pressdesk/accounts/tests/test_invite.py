from __future__ import annotations

from django.core import mail
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Invitation, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import make_invitation

URL = "/o/acme/team/invite/"


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    r = as_alice.post(URL, {"email": "New.Person@Example.org", "role": Role.SPOKESPERSON})
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/team/"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.org) == (
        "new.person@example.org",
        Role.SPOKESPERSON,
        org,
    )
    assert invitation.invited_by == alice
    entry = AuditEntry.objects.get(action="team.invite")
    assert (entry.org, entry.actor, entry.data["role"]) == (org, alice, Role.SPOKESPERSON)


def test_it_sends_the_link_in_the_organisations_language(as_alice: Client) -> None:
    as_alice.post(URL, {"email": "new@example.org", "role": Role.VIEWER})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    # Acme works in French, whatever language Alice reads Pressdesk in.
    assert message.subject == "Invitation à rejoindre Acme Énergie sur Pressdesk"
    assert "http://127.0.0.1:8000/accounts/invitation/" in message.body
    assert "Lecteur·rice" in message.body


def test_it_replaces_a_pending_invitation(as_alice: Client, org: Organisation) -> None:
    old, _ = make_invitation(org, "new@example.org")
    as_alice.post(URL, {"email": "new@example.org", "role": Role.VIEWER})
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert Invitation.objects.filter(revoked_at=None).count() == 1


def test_it_refuses_a_current_member(as_alice: Client, bob: User) -> None:
    r = as_alice.post(URL, {"email": "BOB@example.org", "role": Role.VIEWER}, follow=True)
    assert "bob@example.org is already a member of the team." in r.content.decode()
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_it_refuses_a_bad_address(as_alice: Client) -> None:
    r = as_alice.post(URL, {"email": "not an address", "role": Role.VIEWER}, follow=True)
    assert "Please give a valid email address and role." in r.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_an_unknown_role(as_alice: Client) -> None:
    as_alice.post(URL, {"email": "new@example.org", "role": "owner"})
    assert not Invitation.objects.exists()


def test_it_checks_ownership(as_charlie: Client, alice: User) -> None:
    r = as_charlie.post(URL, {"email": "spy@example.org", "role": Role.DIRECTOR})
    assert r.status_code == 404
    assert not Invitation.objects.exists()


def test_it_is_for_directors_only(as_bob: Client) -> None:
    r = as_bob.post(URL, {"email": "new@example.org", "role": Role.DIRECTOR})
    assert r.status_code == 403
    assert not Invitation.objects.exists()


def test_it_forbids_a_viewer(as_vera: Client) -> None:
    assert as_vera.post(URL, {"email": "new@example.org", "role": Role.VIEWER}).status_code == 403


def test_it_rejects_get(as_alice: Client) -> None:
    assert as_alice.get(URL).status_code == 405


def test_it_requires_login(client: Client, alice: User) -> None:
    r = client.post(URL, {"email": "new@example.org", "role": Role.VIEWER})
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert not Invitation.objects.exists()
