from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import ApiToken, AuditEntry, Organisation, User
from pressdesk.accounts.tests.utils import api_token


def _url(token: ApiToken) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    raw = api_token(alice, org)
    token = ApiToken.objects.get()
    r = as_alice.post(_url(token))
    assert r.status_code == 302
    assert r["Location"] == "/accounts/profile/"
    assert not ApiToken.objects.exists()
    entry = AuditEntry.objects.get(action="api.token_revoke")
    assert (entry.org, entry.actor, entry.object_id) == (org, alice, str(token.pk))
    # The API refuses it from now on.
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_checks_ownership(as_charlie: Client, alice: User, org: Organisation) -> None:
    api_token(alice, org)
    assert as_charlie.post(_url(ApiToken.objects.get())).status_code == 404
    assert ApiToken.objects.exists()


def test_a_colleague_cannot_revoke_my_token(as_bob: Client, alice: User, org: Organisation) -> None:
    api_token(alice, org)
    assert as_bob.post(_url(ApiToken.objects.get())).status_code == 404
    assert ApiToken.objects.exists()


def test_it_rejects_get(as_alice: Client, alice: User, org: Organisation) -> None:
    api_token(alice, org)
    assert as_alice.get(_url(ApiToken.objects.get())).status_code == 405
    assert ApiToken.objects.exists()


def test_it_requires_login(client: Client, alice: User, org: Organisation) -> None:
    api_token(alice, org)
    assert client.post(_url(ApiToken.objects.get())).status_code == 302
    assert ApiToken.objects.exists()
