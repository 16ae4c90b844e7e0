from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import ApiToken, Organisation, User
from pressdesk.accounts.tests.utils import api_token


def _get(token: str, path: str = "/api/v1/me") -> int:
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_token_works(alice: User, org: Organisation) -> None:
    assert _get(api_token(alice, org)) == 200


def test_a_bad_token_is_refused(alice: User, org: Organisation) -> None:
    api_token(alice, org)
    assert _get("pd_not-a-real-token") == 401


def test_no_token_is_refused(alice: User, org: Organisation) -> None:
    assert Client().get("/api/v1/me").status_code == 401


def test_a_session_is_not_enough(as_alice: Client) -> None:
    # The API is for tokens: a browser session must not turn into API access (no CSRF there).
    assert as_alice.get("/api/v1/me").status_code == 401


def test_a_deactivated_users_token_is_refused(alice: User, org: Organisation) -> None:
    raw = api_token(alice, org)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert _get(raw) == 401


def test_a_removed_members_token_is_refused(bob: User, alice: User, org: Organisation) -> None:
    raw = api_token(bob, org)
    bob.memberships.all().delete()
    assert _get(raw) == 401


def test_it_records_when_a_token_was_used(alice: User, org: Organisation) -> None:
    raw = api_token(alice, org)
    assert ApiToken.objects.get().last_used is None
    _get(raw)
    assert ApiToken.objects.get().last_used is not None


def test_it_rejects_a_wrong_method(alice: User, org: Organisation) -> None:
    raw = api_token(alice, org)
    r = Client().post("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 405


def test_it_leaves_no_time_zone_behind(alice: User, org: Organisation) -> None:
    org.timezone = "America/Montreal"
    org.save()
    assert _get(api_token(alice, org)) == 200
    # The next request on this thread, perhaps another organisation's, starts from the default.
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
