"""The release's download page: PDF and DOCX, for roles that may export, audited."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from pypdf import PdfReader

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.releases.tests import kits_sample as s


def url(release_id: int) -> str:
    return f"/o/acme/releases/{release_id}/export/"


def test_it_downloads_a_pdf_and_records_it(as_bob: Client, org: Organisation) -> None:
    release = s.release(org, slug="usine-tours")
    assert as_bob.get(url(release.pk)).status_code == 200
    r = as_bob.post(url(release.pk), {"format": "pdf"})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="usine-tours.pdf"'
    assert r["Cache-Control"] == "no-store"
    assert "Acme ouvre une usine" in PdfReader(BytesIO(r.content)).pages[0].extract_text()
    entry = AuditEntry.objects.get(action="release.export")
    assert (entry.org, entry.object_id, entry.data["format"]) == (org, str(release.pk), "pdf")
    assert entry.actor is not None and entry.actor.email.startswith("bob")


def test_it_downloads_a_docx(as_alice: Client, org: Organisation) -> None:
    release = s.release(org, slug="usine-tours")
    r = as_alice.post(url(release.pk), {"format": "docx"})
    assert r["Content-Type"].endswith("wordprocessingml.document")
    assert r.content[:2] == b"PK"


def test_it_refuses_an_unknown_format(as_bob: Client, org: Organisation) -> None:
    release = s.release(org)
    assert as_bob.post(url(release.pk), {"format": "exe"}).status_code == 400
    assert not AuditEntry.objects.filter(action="release.export").exists()


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    release = s.release(org)
    assert as_vera.get(url(release.pk)).status_code == 403
    assert as_vera.post(url(release.pk), {"format": "pdf"}).status_code == 403
    assert not AuditEntry.objects.filter(action="release.export").exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    release = s.release(org)
    assert as_charlie.post(url(release.pk), {"format": "pdf"}).status_code == 404


def test_it_rejects_put(as_bob: Client, org: Organisation) -> None:
    assert as_bob.put(url(s.release(org).pk)).status_code == 405
