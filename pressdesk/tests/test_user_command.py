"""`pressdesk user reset-password EMAIL`: back into a lost account, audited."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from pressdesk.accounts.models import AuditEntry, User
from pressdesk.conftest import PASSWORD
from pressdesk.tests.conftest import Cli

pytestmark = pytest.mark.django_db


def reset(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("user", "reset-password", *args, stdout=out)
    return out.getvalue()


def test_it_prints_a_link_that_sets_a_new_password(alice: User, client: Client) -> None:
    output = reset("Alice@Example.org")
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", output)
    assert link, output
    path = link[0].split("://", 1)[1].split("/", 1)[1]
    r = client.get("/" + path, follow=True)
    assert r.status_code == 200
    form_url = r.redirect_chain[-1][0]
    new = "a brand new passphrase 42"
    r = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
    entry = AuditEntry.objects.get(action="auth.password_reset_cli")
    assert entry.actor_label.startswith("cli:")
    assert entry.data["method"] == "link"


def test_it_can_print_a_one_time_password(alice: User) -> None:
    output = reset("alice@example.org", "--password")
    password = re.search(r"only this once\): (\S+)", output)
    assert password, output
    alice.refresh_from_db()
    assert alice.check_password(password[1])
    assert not alice.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="auth.password_reset_cli").count() == 1


def test_it_says_when_there_is_no_such_account(db: None) -> None:
    with pytest.raises(CommandError, match=r"no account for nobody@example\.org"):
        reset("nobody@example.org")
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_deactivated_account(alice: User) -> None:
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="deactivated"):
        reset("alice@example.org")


def test_it_is_listed_by_pressdesk_help(cli: Cli) -> None:
    assert "\n  user " in cli("--help").stdout
    result = cli("user", "reset-password", "--help", LANG="fr_FR.UTF-8")
    assert "mot de passe" in result.stdout
