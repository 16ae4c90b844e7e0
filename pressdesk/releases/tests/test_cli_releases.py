from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.timezone import now

from pressdesk.accounts.models import Organisation, User
from pressdesk.management.subcommands import subcommand_modules
from pressdesk.releases.tests import sample


def run(*args: str) -> str:
    out = StringIO()
    call_command("releases", *args, stdout=out)
    return out.getvalue()


def test_list_json_has_the_documented_fields(
    org: Organisation, other_org: Organisation, alice: User, bob: User, charlie: User
) -> None:
    at = now() + timedelta(days=3)
    release = sample.scheduled(org, bob, alice, at)
    sample.release(other_org, charlie, title="Ailleurs")
    rows = json.loads(run("list", "--json", "--org", "acme"))
    assert [r["id"] for r in rows] == [release.pk]
    row = rows[0]
    assert set(row) >= {"id", "title", "state", "embargo_until", "public_url"}
    assert row["state"] == "scheduled"
    assert row["embargo_until"] == at.isoformat()
    assert row["public_url"].endswith(f"/newsroom/acme/{release.slug}/")


def test_list_prints_a_table(org: Organisation, bob: User) -> None:
    sample.release(org, bob, title="Texte brut")
    assert "Texte brut" in run("list", "--org", "acme")


def test_show_prints_the_release(org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    text = run("show", str(release.pk), "--org", "acme")
    assert "Communiqué de presse" in text and "###" in text
    data = json.loads(run("show", str(release.pk), "--json", "--org", "acme"))
    assert data["id"] == release.pk and data["embargo_until"] is None


def test_show_refuses_another_organisations_release(
    org: Organisation, other_org: Organisation, charlie: User
) -> None:
    theirs = sample.release(other_org, charlie)
    with pytest.raises(CommandError):
        run("show", str(theirs.pk), "--org", "acme")


def test_the_command_line_has_no_way_to_approve_or_publish() -> None:
    names = {m.NAME for m in subcommand_modules("pressdesk.releases.cli")}
    assert not names & {"approve", "decide", "publish", "schedule"}
