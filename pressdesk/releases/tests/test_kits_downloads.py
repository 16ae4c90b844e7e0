"""Press kit downloads: the ZIP (streamed) and the PDF, for roles that may export, audited."""

from __future__ import annotations

import zipfile
from io import BytesIO
from typing import Any

from django.test import Client
from pypdf import PdfReader

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.releases import kits
from pressdesk.releases.models import KitItemKind
from pressdesk.releases.tests import kits_sample as s

BASE = "/o/acme/releases/kits/"


def test_it_streams_the_zip_and_records_it(
    as_bob: Client, org: Organisation, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    kit = s.kit(org, slug="usine-tours")
    kits.add_item(kit, KitItemKind.ASSET, asset=s.asset(org, credit="© Acme"))
    r = as_bob.post(f"{BASE}{kit.pk}/zip/")
    assert r.status_code == 200 and r.streaming
    assert r["Content-Disposition"] == 'attachment; filename="usine-tours.zip"'
    archive = zipfile.ZipFile(BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    assert archive.namelist() == ["LISEZMOI.txt", "images/01-usine.png"]
    entry = AuditEntry.objects.get(action="kit.export")
    assert entry.data == {"format": "zip", "files": 1}


def test_it_makes_the_pdf(as_alice: Client, org: Organisation) -> None:
    kit = s.kit(org, slug="usine-tours")
    kits.add_item(kit, KitItemKind.QUOTE, title="Le mot de la directrice", text="« Un pari »")
    r = as_alice.post(f"{BASE}{kit.pk}/pdf/")
    assert r["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(r.content)).pages)
    assert "1. Le mot de la directrice" in text
    assert AuditEntry.objects.get(action="kit.export").data["format"] == "pdf"


def test_a_viewer_or_spokesperson_cannot_download(
    as_vera: Client, client: Client, sam: Any, org: Organisation
) -> None:
    kit = s.kit(org)
    client.force_login(sam)
    for c in (as_vera, client):
        assert c.post(f"{BASE}{kit.pk}/zip/").status_code == 403
        assert c.post(f"{BASE}{kit.pk}/pdf/").status_code == 403
    assert not AuditEntry.objects.filter(action="kit.export").exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    kit = s.kit(org)
    assert as_charlie.post(f"{BASE}{kit.pk}/zip/").status_code == 404


def test_it_rejects_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(f"{BASE}{s.kit(org).pk}/zip/").status_code == 405
