from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk import modules
from pressdesk.accounts.models import AuditEntry, Organisation

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_creates_the_demo_organisation() -> None:
    run_demo()
    org = Organisation.objects.get(slug="ecvl")
    assert org.name == "Énergies Citoyennes du Val de Loire"
    assert (org.timezone, org.language) == ("Europe/Paris", "fr")
    # The identity printed at the foot of its mails.
    assert org.identity_lines == [
        "Énergies Citoyennes du Val de Loire SCIC SAS",
        "12 quai de la Loire",
        "45000 Orléans",
        "France",
    ]
    team = {m.user.full_name: m.role for m in org.memberships.select_related("user").order_by("id")}
    assert team == {
        "Administrateur ECVL": "director",
        "Claire Moreau": "director",
        "Julien Petit": "press_officer",
        "Sophie Bernard": "spokesperson",
        "Marc Lefèvre": "viewer",
    }
    assert {m.user.language for m in org.memberships.all()} == {"fr"}
    assert AuditEntry.objects.filter(org=org, action="demo.load").exists()


def test_it_prints_a_password_that_logs_in() -> None:
    output = run_demo()
    assert f"{settings.SITE_ROOT}/" in output
    assert "admin@ecvl.example" in output
    password = re.search(r"Password:\s+(\S+)", output)
    assert password is not None
    user = authenticate(email="admin@ecvl.example", password=password.group(1))
    assert user is not None and user.email == "admin@ecvl.example"


def test_it_gives_colleagues_no_usable_password() -> None:
    run_demo()
    org = Organisation.objects.get(slug="ecvl")
    claire = org.memberships.get(user__full_name="Claire Moreau").user
    assert not claire.has_usable_password()


def test_it_does_nothing_if_empty_is_asked_and_orgs_exist(org: Organisation) -> None:
    output = run_demo("--if-empty")
    assert "no demo loaded" in output
    assert not Organisation.objects.filter(slug="ecvl").exists()


def test_it_refuses_to_load_twice() -> None:
    run_demo()
    with pytest.raises(CommandError, match="already exists"):
        run_demo()


def test_it_calls_the_modules_loaders(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(modules, "REGISTRY", {})
    modules.register(modules.Module("things", "Things", "", demo_loader=seen.append))
    run_demo()
    assert [org.slug for org in seen] == ["ecvl"]
