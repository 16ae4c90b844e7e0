from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.releases.models import Release

URL = "/o/acme/releases/new/"


def test_it_creates_a_draft_from_a_template(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(URL, {"title": "Rapport annuel", "template": "fr-CA", "city": "Québec"})
    release = Release.objects.for_org(org).get()
    assert r.status_code == 302 and r["Location"] == f"/o/acme/releases/{release.pk}/edit/"
    assert release.template == "fr-CA" and release.state == "draft"
    assert release.current_version is not None
    assert release.current_version.dateline.startswith("Québec, le ")
    assert AuditEntry.objects.filter(action="release.create").exists()


def test_it_shows_the_form(as_bob: Client) -> None:
    assert "fr-FR" in as_bob.get(URL).content.decode()


def test_it_forbids_a_spokesperson_and_a_viewer(as_sam: Client, org: Organisation) -> None:
    assert as_sam.post(URL, {"title": "X", "template": "en"}).status_code == 403
    assert not Release.objects.for_org(org).exists()


def test_it_forbids_a_viewer(as_vera: Client) -> None:
    assert as_vera.get(URL).status_code == 403


def test_an_outsider_gets_404(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_put(as_bob: Client) -> None:
    assert as_bob.put(URL).status_code == 405
