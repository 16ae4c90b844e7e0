from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.tests.utils import api_token


def _members(raw: str) -> list[dict[str, object]]:
    r = Client().get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def test_it_lists_the_team(alice: User, bob: User, vera: User, org: Organisation) -> None:
    emails = {m["email"] for m in _members(api_token(vera, org))}
    assert emails == {"alice@example.org", "bob@example.org", "vera@example.org"}


def test_it_shows_only_the_tokens_organisation(
    alice: User, charlie: User, org: Organisation, other_org: Organisation
) -> None:
    assert [m["email"] for m in _members(api_token(charlie, other_org))] == ["charlie@example.org"]
    assert "charlie@example.org" not in {m["email"] for m in _members(api_token(alice, org))}
