from __future__ import annotations

from django.test import Client

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User

URL = "/o/acme/"


def test_it_works(as_alice: Client) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Acme Énergie" in html
    # Modules not built yet lead to their "coming" page.
    assert 'href="/o/acme/coming/briefings/"' in html


def test_it_shows_recent_activity_to_a_director(
    as_alice: Client, alice: User, org: Organisation, other_org: Organisation
) -> None:
    audit.record("release.approve", org=org, actor=alice)
    audit.record("secret.thing", org=other_org)
    html = as_alice.get(URL).content.decode()
    assert "release.approve" in html
    assert "secret.thing" not in html


def test_it_hides_the_audit_log_from_a_viewer(
    as_vera: Client, alice: User, org: Organisation
) -> None:
    audit.record("release.approve", org=org, actor=alice)
    r = as_vera.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert "release.approve" not in html
    assert "/o/acme/audit/" not in html


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client, org: Organisation) -> None:
    r = client.get(URL)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/login/?next=/o/acme/"
