from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.conftest import login

URL = "/o/acme/settings/"
DATA = {"name": "Acme Énergie SA", "timezone": "America/Martinique", "language": "en"}


def test_it_shows_the_form(as_alice: Client) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    assert 'value="Acme Énergie"' in r.content.decode()


def test_it_saves(as_alice: Client, alice: User, org: Organisation) -> None:
    r = as_alice.post(URL, DATA)
    assert r.status_code == 302
    assert r["Location"] == URL
    org.refresh_from_db()
    assert (org.name, org.timezone, org.language) == (
        "Acme Énergie SA",
        "America/Martinique",
        "en",
    )
    entry = AuditEntry.objects.get(action="org.settings_change")
    assert entry.actor == alice
    assert sorted(entry.data["fields"]) == ["language", "name", "timezone"]


def test_it_keeps_the_slug(as_alice: Client, org: Organisation) -> None:
    # The slug is in every URL and bookmark: it is not a setting.
    as_alice.post(URL, {**DATA, "slug": "hijack"})
    org.refresh_from_db()
    assert org.slug == "acme"


def test_it_refuses_an_unknown_time_zone(as_alice: Client, org: Organisation) -> None:
    r = as_alice.post(URL, {**DATA, "timezone": "Mars/Olympus"})
    assert r.status_code == 200
    org.refresh_from_db()
    assert org.timezone == "Europe/Paris"
    assert not AuditEntry.objects.filter(action="org.settings_change").exists()


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(URL, DATA).status_code == 404
    org.refresh_from_db()
    assert org.name == "Acme Énergie"


def test_it_is_for_directors_only(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(URL).status_code == 403
    assert as_bob.post(URL, DATA).status_code == 403
    org.refresh_from_db()
    assert org.name == "Acme Énergie"


def test_it_forbids_a_viewer(as_vera: Client) -> None:
    assert as_vera.get(URL).status_code == 403


def test_it_rejects_put(as_alice: Client) -> None:
    assert as_alice.put(URL).status_code == 405


def test_it_requires_login(client: Client, org: Organisation) -> None:
    assert client.get(URL).status_code == 302


IDENTITY = {
    **DATA,
    "legal_name": "Acme Énergie SAS",
    "postal_address": "12 quai de la Loire\r\n45000 Orléans",
}


def test_it_saves_the_legal_identity(as_alice: Client, alice: User, org: Organisation) -> None:
    r = as_alice.post(URL, IDENTITY)
    assert r.status_code == 302
    org.refresh_from_db()
    assert (org.legal_name, org.postal_address) == (
        "Acme Énergie SAS",
        "12 quai de la Loire\r\n45000 Orléans",
    )
    assert org.identity_lines == ["Acme Énergie SAS", "12 quai de la Loire", "45000 Orléans"]
    entry = AuditEntry.objects.get(action="org.settings_change")
    assert entry.actor == alice
    assert {"legal_name", "postal_address"} <= set(entry.data["fields"])


def test_it_shows_the_identity_escaped(as_alice: Client, org: Organisation) -> None:
    org.legal_name, org.postal_address = "Acme <b>SAS</b>", "<script>alert(1)</script>"
    org.save()
    page = as_alice.get(URL).content.decode()
    assert 'id="identity"' in page
    assert 'value="Acme &lt;b&gt;SAS&lt;/b&gt;"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page
    assert "<script>alert" not in page


def test_the_identity_is_optional(as_alice: Client, org: Organisation) -> None:
    org.legal_name, org.postal_address = "Old SAS", "Old street"
    org.save()
    assert as_alice.post(URL, {**DATA, "legal_name": "", "postal_address": ""}).status_code == 302
    org.refresh_from_db()
    assert (org.legal_name, org.postal_address, org.identity_lines) == ("", "", [])


def test_it_refuses_an_address_too_long(as_alice: Client, org: Organisation) -> None:
    r = as_alice.post(URL, {**IDENTITY, "postal_address": "x" * 501})
    assert r.status_code == 200
    org.refresh_from_db()
    assert org.postal_address == ""


@pytest.mark.parametrize("who", ["bob", "sam", "vera"])  # press officer, spokesperson, viewer
def test_only_directors_may_change_the_identity(
    who: str, request: pytest.FixtureRequest, client: Client, org: Organisation
) -> None:
    member = login(client, request.getfixturevalue(who))
    assert member.get(URL).status_code == 403
    assert member.post(URL, IDENTITY).status_code == 403
    org.refresh_from_db()
    assert (org.legal_name, org.postal_address) == ("", "")
    assert not AuditEntry.objects.filter(action="org.settings_change").exists()


def test_an_outsider_may_not_change_the_identity(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.post(URL, IDENTITY).status_code == 404
    org.refresh_from_db()
    assert org.legal_name == ""


def test_it_rejects_delete(as_alice: Client, org: Organisation) -> None:
    assert as_alice.delete(URL).status_code == 405


def test_it_speaks_french(as_alice: Client, alice: User) -> None:
    alice.language = "fr"
    alice.save()
    page = as_alice.get(URL).content.decode()
    assert "Identité de l’expéditeur dans les courriels" in page
    assert "Raison sociale" in page and "Adresse postale" in page
