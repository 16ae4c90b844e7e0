from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Invitation, Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import make_invitation
from pressdesk.conftest import PASSWORD, login

NEW_PASSWORD = "a long and unusual passphrase"


def _url(raw: str) -> str:
    return f"/accounts/invitation/{raw}/"


def test_it_shows_the_signup_form(english: Client, org: Organisation) -> None:
    _, raw = make_invitation(org)
    r = english.get(_url(raw))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Join Acme Énergie" in html
    assert "new@example.org" in html


def test_it_signs_a_new_person_up(client: Client, org: Organisation) -> None:
    invitation, raw = make_invitation(org, role=Role.SPOKESPERSON)
    r = client.post(_url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/"
    user = User.objects.get(email="new@example.org")
    assert user.full_name == "Nina New"
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).role == Role.SPOKESPERSON
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert AuditEntry.objects.filter(action="team.join", actor=user, org=org).count() == 1


def test_it_remembers_the_language_of_the_signup_page(org: Organisation) -> None:
    _, raw = make_invitation(org)
    Client(HTTP_ACCEPT_LANGUAGE="en").post(
        _url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD}
    )
    assert User.objects.get(email="new@example.org").language == "en"


def test_it_refuses_a_weak_password(client: Client, org: Organisation) -> None:
    invitation, raw = make_invitation(org)
    r = client.post(_url(raw), {"full_name": "Nina New", "password": "password"})
    assert r.status_code == 200
    assert not User.objects.filter(email="new@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_user_is_asked_to_log_in(
    client: Client, org: Organisation, charlie: User
) -> None:
    _, raw = make_invitation(org, "charlie@example.org")
    r = client.get(_url(raw))
    assert r.status_code == 302
    assert (
        r["Location"]
        == "/accounts/login/?next=/accounts/invitation/token-for-charlie%40example.org/"
    )


def test_an_existing_user_joins(as_charlie: Client, charlie: User, org: Organisation) -> None:
    invitation, raw = make_invitation(org, "charlie@example.org", Role.VIEWER)
    assert as_charlie.get(_url(raw)).status_code == 200
    r = as_charlie.post(_url(raw))
    assert r["Location"] == "/o/acme/"
    assert Membership.objects.get(user=charlie, org=org).role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # Charlie now sees Acme, and still his own organisation.
    assert as_charlie.get("/o/acme/").status_code == 200
    assert as_charlie.get("/o/other/").status_code == 200


def test_someone_else_cannot_use_it(as_alice: Client, org: Organisation, charlie: User) -> None:
    # Alice is logged in but the invitation is Charlie's: she is sent to log in as Charlie.
    invitation, raw = make_invitation(org, "charlie@example.org")
    r = as_alice.post(_url(raw))
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")
    assert not Membership.objects.filter(user=charlie, org=org).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_logged_in_user_cannot_sign_up_someone_new(as_bob: Client, org: Organisation) -> None:
    # The link signs up the invited address only; Bob's session does not change that.
    _, raw = make_invitation(org, "new@example.org")
    as_bob.post(_url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD})
    user = User.objects.get(email="new@example.org")
    assert Membership.objects.filter(user=user, org=org).exists()


def test_it_works_once(org: Organisation) -> None:
    _, raw = make_invitation(org)
    Client().post(_url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD})
    r = Client().post(_url(raw), {"full_name": "Mallory", "password": NEW_PASSWORD})
    assert r.status_code == 410
    assert User.objects.filter(email="new@example.org").count() == 1


@pytest.mark.parametrize("state", ["accepted", "revoked", "expired"])
def test_it_is_gone_when_unusable(client: Client, org: Organisation, state: str) -> None:
    invitation, raw = make_invitation(org)
    now = timezone.now()
    changes = {
        "accepted": {"accepted_at": now},
        "revoked": {"revoked_at": now},
        "expired": {"created": now - Invitation.VALID_FOR - timedelta(seconds=1)},
    }[state]
    Invitation.objects.filter(pk=invitation.pk).update(**changes)
    assert client.get(_url(raw)).status_code == 410
    r = client.post(_url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD})
    assert r.status_code == 410
    assert not User.objects.filter(email="new@example.org").exists()


def test_it_is_gone_for_an_unknown_token(client: Client, db: None) -> None:
    assert client.get(_url("no-such-token")).status_code == 410


def test_a_race_with_another_tab_is_gone_not_an_error(
    client: Client, org: Organisation, charlie: User
) -> None:
    invitation, raw = make_invitation(org, "charlie@example.org")
    login(client, charlie)
    client.get(_url(raw))
    # The other tab accepted it in between.
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    assert client.post(_url(raw)).status_code == 410


def test_it_rejects_put(client: Client, org: Organisation) -> None:
    _, raw = make_invitation(org)
    assert client.put(_url(raw)).status_code == 405


def test_the_password_is_the_new_one(client: Client, org: Organisation) -> None:
    _, raw = make_invitation(org)
    client.post(_url(raw), {"full_name": "Nina New", "password": NEW_PASSWORD})
    client.post("/accounts/logout/")
    r = client.post("/accounts/login/", {"email": "new@example.org", "password": PASSWORD})
    assert r.status_code == 200
    r = client.post("/accounts/login/", {"email": "new@example.org", "password": NEW_PASSWORD})
    assert r.status_code == 302
