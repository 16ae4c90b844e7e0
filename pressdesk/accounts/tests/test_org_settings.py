from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User

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
