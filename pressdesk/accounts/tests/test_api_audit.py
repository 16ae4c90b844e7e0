from __future__ import annotations

from django.test import Client

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.tests.utils import api_token


def _get(raw: str, **params: object) -> Client:
    return Client().get("/api/v1/audit", params, HTTP_AUTHORIZATION=f"Bearer {raw}")  # type: ignore[return-value]


def test_it_works(alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    r = _get(api_token(alice, org))
    assert r.status_code == 200  # type: ignore[attr-defined]
    actions = [e["action"] for e in r.json()]  # type: ignore[attr-defined]
    # Newest first: the token's creation, then the approval.
    assert actions[:2] == ["api.token_create", "release.approve"]


def test_it_filters_by_action(alice: User, org: Organisation) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("mailing.send", org=org, actor=alice)
    r = _get(api_token(alice, org), action="mailing")
    assert [e["action"] for e in r.json()] == ["mailing.send"]  # type: ignore[attr-defined]


def test_it_shows_only_the_tokens_organisation(
    alice: User, charlie: User, org: Organisation, other_org: Organisation
) -> None:
    audit.record("secret.thing", org=other_org, actor=charlie)
    actions = {e["action"] for e in _get(api_token(alice, org)).json()}  # type: ignore[attr-defined]
    assert "secret.thing" not in actions


def test_it_is_for_directors_only(bob: User, vera: User, org: Organisation) -> None:
    assert _get(api_token(bob, org)).status_code == 403  # type: ignore[attr-defined]
    assert _get(api_token(vera, org)).status_code == 403  # type: ignore[attr-defined]


def test_it_caps_the_limit(alice: User, org: Organisation) -> None:
    r = _get(api_token(alice, org), limit=0)
    assert len(r.json()) == 1  # type: ignore[attr-defined]
