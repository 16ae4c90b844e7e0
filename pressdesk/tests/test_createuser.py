from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk.accounts.models import AuditEntry, Membership, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_org_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRESSDESK_ORG", raising=False)


def createuser(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("createuser", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_a_user_with_a_printed_password(org: Organisation) -> None:
    output = createuser("Julie@Example.org", "--role", "press_officer", "--name", "Julie Martin")
    user = User.objects.get(email="julie@example.org")
    assert user.full_name == "Julie Martin"
    assert Membership.objects.get(user=user, org=org).role == "press_officer"
    password = re.search(r"Password \(shown only this once\): (\S+)", output)
    assert password is not None
    assert user.check_password(password.group(1))
    entry = AuditEntry.objects.get(action="team.add")
    assert entry.org == org
    assert entry.actor_label.startswith("cli:")
    assert entry.data == {"role": "press_officer", "new_user": True}


def test_it_takes_a_given_password(org: Organisation) -> None:
    output = createuser(
        "julie@example.org", "--role", "viewer", "--password", "lavande-à-Amboise-42"
    )
    assert "Password" not in output
    assert User.objects.get(email="julie@example.org").check_password("lavande-à-Amboise-42")


def test_it_rejects_a_weak_password(org: Organisation) -> None:
    with pytest.raises(CommandError, match="too short"):
        createuser("julie@example.org", "--role", "viewer", "--password", "1234")
    assert not User.objects.filter(email="julie@example.org").exists()


def test_it_adds_an_existing_user_to_another_org(
    org: Organisation, other_org: Organisation, charlie: User
) -> None:
    output = createuser("charlie@example.org", "--role", "viewer", "--org", "acme")
    assert Membership.objects.get(user=charlie, org=org).role == "viewer"
    assert "Password" not in output
    assert AuditEntry.objects.get(action="team.add").data["new_user"] is False


def test_it_leaves_an_existing_users_password(
    org: Organisation, other_org: Organisation, charlie: User
) -> None:
    createuser(
        "charlie@example.org", "--role", "viewer", "--org", "acme", "--password", "x-new-pass-99"
    )
    charlie.refresh_from_db()
    assert not charlie.check_password("x-new-pass-99")


def test_it_refuses_an_existing_member(org: Organisation, alice: User) -> None:
    with pytest.raises(CommandError, match="already a member of acme, as Director"):
        createuser("alice@example.org", "--role", "viewer")
    assert Membership.objects.get(user=alice).role == "director"


def test_it_uses_the_org_from_the_environment(
    org: Organisation, other_org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESSDESK_ORG", "other")
    createuser("julie@example.org", "--role", "viewer")
    assert Membership.objects.get(user__email="julie@example.org").org == other_org


def test_it_asks_which_org_when_several_exist(org: Organisation, other_org: Organisation) -> None:
    with pytest.raises(CommandError, match="acme, other"):
        createuser("julie@example.org", "--role", "viewer")
    assert not User.objects.filter(email="julie@example.org").exists()


def test_it_rejects_an_unknown_role(org: Organisation) -> None:
    with pytest.raises(CommandError, match="invalid choice"):
        createuser("julie@example.org", "--role", "boss")


def test_it_rejects_a_bad_email(org: Organisation) -> None:
    with pytest.raises(CommandError, match="is not an email address"):
        createuser("julie.example.org", "--role", "viewer")
