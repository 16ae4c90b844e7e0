from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk.accounts.models import AuditEntry, Organisation, User

pytestmark = pytest.mark.django_db


def org_command(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("org", *args, stdout=out)
    return out.getvalue()


def test_it_creates_an_organisation() -> None:
    output = org_command(
        "create", "Mairie de Tours", "--slug", "tours", "--timezone", "America/Cayenne"
    )
    org = Organisation.objects.get(slug="tours")
    assert (org.name, org.timezone) == ("Mairie de Tours", "America/Cayenne")
    assert "Created organisation Mairie de Tours (tours)." in output
    assert "pressdesk --org tours createuser EMAIL --role director" in output
    assert AuditEntry.objects.filter(action="org.create", org=org).exists()


def test_it_makes_a_slug_from_the_name(org: Organisation) -> None:
    org_command("create", "Acme")
    org_command("create", "Acmé")
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"acme", "acme-2", "acme-3"}


def test_it_rejects_an_unknown_time_zone() -> None:
    with pytest.raises(CommandError, match="Unknown time zone Europe/Tours"):
        org_command("create", "Mairie de Tours", "--timezone", "Europe/Tours")
    assert not Organisation.objects.exists()


def test_it_rejects_a_taken_slug(org: Organisation) -> None:
    with pytest.raises(CommandError, match="acme is taken"):
        org_command("create", "Another", "--slug", "acme")


def test_it_rejects_a_bad_slug() -> None:
    with pytest.raises(CommandError, match="only letters, digits"):
        org_command("create", "Another", "--slug", "a b/c")


def test_it_rejects_an_empty_name() -> None:
    with pytest.raises(CommandError, match="must not be empty"):
        org_command("create", "  ")


def test_it_lists_organisations_as_json(
    org: Organisation, other_org: Organisation, alice: User
) -> None:
    rows = json.loads(org_command("list", "--json"))
    assert rows == [
        {"slug": "acme", "name": "Acme Énergie", "timezone": "Europe/Paris", "members": 1},
        {"slug": "other", "name": "Other Org", "timezone": "Europe/Paris", "members": 0},
    ]


def test_it_lists_organisations_as_text(org: Organisation, alice: User) -> None:
    assert org_command("list").strip() == "acme  Acme Énergie  (Europe/Paris, 1 member)"


def test_it_says_when_there_is_none() -> None:
    assert "No organisation yet." in org_command("list")


def test_it_needs_an_action() -> None:
    with pytest.raises(CommandError):
        org_command()
