"""The release as a document: the template's parts, in order, in PDF and in DOCX."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.utils.timezone import now
from docx import Document
from pypdf import PdfReader

from pressdesk.accounts.models import Organisation
from pressdesk.releases import exporting
from pressdesk.releases.models import Newsroom
from pressdesk.releases.tests import kits_sample as s


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages)


def test_it_lays_the_pdf_out_in_the_templates_order(org: Organisation) -> None:
    release = s.release(org)
    text = pdf_text(exporting.release_pdf(exporting.release_document(release)))
    parts = [
        "COMMUNIQUÉ DE PRESSE",
        "Pour diffusion immédiate",
        "Paris, le 26 novembre 2026",
        "Acme ouvre une usine à Tours",
        "Acme annonce l’ouverture",
        "Un site pilote",
        "###",
        "À PROPOS D’ACME",
        "CONTACT PRESSE",
    ]
    where = [text.find(p) for p in parts]
    assert -1 not in where, (parts, text)
    assert where == sorted(where)
    # French typography survives: the no-break space before "!" and the « » quotes.
    assert "2027\u00a0!" in text
    assert "« Nous voulons" in text


def test_it_prints_the_embargo_in_the_organisations_zone(org: Organisation) -> None:
    org.timezone = "Europe/Paris"
    org.save()
    lift = now().replace(microsecond=0) + timedelta(days=3)
    release = s.release(org, embargo_until=lift)
    doc = exporting.release_document(release)
    assert doc.notice.startswith("SOUS EMBARGO JUSQU’AU ")
    assert "\u00a0h\u00a0" in doc.notice
    assert exporting.release_document(release, at=lift).notice == "Pour diffusion immédiate"


def test_it_follows_the_quebec_and_english_templates(org: Organisation) -> None:
    quebec = exporting.release_document(s.release(org, template="fr-CA"))
    english = exporting.release_document(s.release(org, template="en"))
    assert (quebec.words.closing, quebec.notice) == ("-30-", "Pour publication immédiate")
    assert (english.words.closing, english.notice) == ("###", "FOR IMMEDIATE RELEASE")
    assert "-30-" in pdf_text(exporting.release_pdf(quebec))


def test_it_uses_the_organisations_logo_and_colour(
    org: Organisation, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    logo = s.asset(org, "logo.png", kind="logo")
    Newsroom.objects.create(org=org, logo=logo, primary_colour="#0a7c53", title="Acme")
    doc = exporting.release_document(s.release(org))
    assert doc.brand.colour == "#0a7c53"
    assert doc.brand.logo is not None
    html = exporting.release_parts_html(doc)
    assert "Acme ouvre" in html
    pdf = exporting.release_pdf(doc)
    assert b"/Subtype /Image" in pdf


def test_it_writes_a_docx_with_the_same_structure(
    org: Organisation, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    release = s.release(org)
    release.attachments.create(asset=s.asset(org, caption="L’usine de Tours", credit="© Acme"))
    data = exporting.release_docx(exporting.release_document(release))
    doc = Document(BytesIO(data))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Acme ouvre une usine à Tours"),
        ("Heading 2", "Un site pilote"),
        ("Heading 2", "À propos d’Acme Énergie"),
        ("Heading 2", "Contact presse"),
    ]
    texts = [p.text for p in doc.paragraphs]
    assert "COMMUNIQUÉ DE PRESSE" in texts
    assert "###" in texts
    assert "L’usine de Tours — © Acme" in texts
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["120 emplois", "4 000 vélos par an"]
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    italic = [r.text for p in doc.paragraphs for r in p.runs if r.italic]
    assert "vélos cargo" in bold
    assert "Jeanne Martin" in italic
    assert len(doc.inline_shapes) == 1
    assert round(doc.sections[0].page_width.mm) == 210
