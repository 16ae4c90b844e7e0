"""Every fixture format imports with its data intact: accents, multi-line notes, known headers."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact

FIXTURES = Path(__file__).parent / "fixtures"


def load(org: Organisation, name: str, **options: object) -> object:
    return run_import(org, (FIXTURES / name).read_bytes(), name, ImportOptions(**options))  # type: ignore[arg-type]


def contact(org: Organisation, email: str) -> Contact:
    return Contact.objects.get(org=org, emails__email_normalised=email)


@pytest.mark.django_db
def test_excel_cp1252_keeps_accents_and_multiline_notes(org: Organisation) -> None:
    result = load(org, "excel_fr_cp1252.csv")
    assert result.counts["created"] == 4
    helene = contact(org, "helene.lefevre@lequipe.example")
    assert (helene.first_name, helene.last_name) == ("Hélène", "Lefèvre")
    assert helene.job_title == "Rédactrice en chef adjointe"
    position = helene.positions.get()
    assert position.outlet.name == "L’Équipe"
    assert position.outlet.media_type == "daily"
    assert sorted(p.e164 for p in helene.phones.all()) == ["+33140932020", "+33612345678"]
    assert helene.phones.get(e164="+33612345678").label == "mobile"
    assert sorted(b.name for b in helene.beats.all()) == ["Sport", "Économie du sport"]
    assert (helene.country, helene.region, helene.languages) == (
        "FR",
        "Boulogne-Billancourt",
        ["fr"],
    )
    jurgen = contact(org, "j.muller@ouest-france.example")
    assert jurgen.last_name == "Müller"
    assert (
        jurgen.notes.get().text
        == "Suit l’éolien en mer.\nA couvert le salon Énergies 2024 — très réactif."
    )
    assert jurgen.languages == ["fr", "de"]
    cecile = contact(org, "cecile.oeillet@lesechos.example")
    assert cecile.last_name == "Œillet"
    assert cecile.notes.get().text == "Budget 500 €"
    assert helene.source_kind == "import" and helene.source_label == "excel_fr_cp1252.csv"
    assert helene.lawful_basis == "legitimate_interest"


@pytest.mark.django_db
def test_utf8_bom_english_headers(org: Organisation) -> None:
    load(org, "utf8_bom.csv")
    siobhan = contact(org, "siobhan.oconnor@irishtimes.example")
    assert (siobhan.first_name, siobhan.last_name, siobhan.country) == ("Siobhán", "O’Connor", "IE")
    assert siobhan.phones.get().e164 == "+35316758000"
    assert sorted(t.name for t in siobhan.tags.all()) == ["Tier 1"]
    zoe = contact(org, "zoe.smith@reuters.example")
    assert zoe.emails.get().email == "ZOE.SMITH@Reuters.example"
    assert zoe.last_name == "Smith-Łukasik"


@pytest.mark.django_db
def test_google_contacts_headers_are_mapped(org: Organisation) -> None:
    result = load(org, "google_contacts.csv")
    assert result.counts["created"] == 2
    amelie = contact(org, "a.rousseau@liberation.example")
    assert sorted(e.email for e in amelie.emails.all()) == [
        "a.rousseau@liberation.example",
        "amelie.perso@example.org",
    ]
    assert amelie.positions.get().outlet.name == "Libération"
    assert amelie.job_title == "Journaliste environnement"
    assert [t.name for t in amelie.tags.all()] == ["Presse nationale"]
    assert amelie.notes.get().text == "Rencontrée au salon\nVeut des chiffres"
    # Several addresses in one Google cell, separated by ":::".
    bastien = contact(org, "bastien.giraud@afp.example")
    assert bastien.emails.count() == 2


@pytest.mark.django_db
def test_google_legacy_format(org: Organisation) -> None:
    load(org, "google_contacts_legacy.csv")
    chloe = contact(org, "chloe.bernard@numerama.example")
    assert (chloe.first_name, chloe.last_name, chloe.job_title) == (
        "Chloé",
        "Bernard",
        "Rédactrice",
    )
    assert chloe.positions.get().outlet.name == "Numerama"


@pytest.mark.django_db
def test_outlook_headers_are_mapped(org: Organisation) -> None:
    result = load(org, "outlook.csv")
    francoise = contact(org, "faubert@lefigaro.example")
    assert (francoise.first_name, francoise.last_name) == ("Françoise", "Aubert")
    # Outlook's "Title" is "Mme", not the job.
    assert francoise.job_title == "Grand reporter"
    assert francoise.positions.get().outlet.name == "Le Figaro"
    assert sorted(p.e164 for p in francoise.phones.all()) == ["+33157085000", "+33601020304"]
    assert sorted(t.name for t in francoise.tags.all()) == ["Presse nationale", "VIP"]
    assert (francoise.country, francoise.region) == ("FR", "Paris")
    assert any("Columns not imported" in note for note in result.notes)


@pytest.mark.django_db
def test_cision_like_export(org: Organisation) -> None:
    load(org, "cision_export.csv")
    karim = contact(org, "k.benali@laprovence.example")
    assert (karim.first_name, karim.last_name) == ("Karim", "BENALI")
    assert karim.positions.get().outlet.media_type == "regional_daily"
    assert sorted(b.name for b in karim.beats.all()) == ["Emploi", "Port de Marseille", "Économie"]
    assert karim.social == {"x": "@kbenali", "linkedin": "https://www.linkedin.com/in/kbenali"}
    sarah = contact(org, "sarah.williams@ft.example")
    assert sarah.social == {"x": "@sarahw_ft"}
    assert sarah.languages == ["en"] and sarah.country == "GB"


@pytest.mark.django_db
def test_meltwater_like_tab_separated(org: Organisation) -> None:
    load(org, "meltwater.tsv")
    tom = contact(org, "tom.becker@dw.example")
    assert tom.languages == ["de", "en"]
    assert tom.phones.get().e164 == "+493046460"


@pytest.mark.django_db
def test_multiline_quoted_fields(org: Organisation) -> None:
    result = load(org, "multiline.csv")
    assert [(p.line, p.field) for p in result.skipped] == [(5, "email")]
    alice = contact(org, "alice.martin@example.org")
    assert alice.notes.get().text == "Première ligne\ndeuxième ligne\ntroisième, avec une virgule"


@pytest.mark.django_db
def test_vcard_21_quoted_printable(org: Organisation) -> None:
    result = load(org, "v21_quoted_printable.vcf")
    assert result.counts["created"] == 2
    helene = contact(org, "helene.lefevre@lequipe.example")
    assert (helene.first_name, helene.last_name) == ("Hélène", "Lefèvre")
    assert helene.positions.get().outlet.name == "L’Équipe"
    assert helene.notes.get().text == "Préfère le matin.\nCouvre aussi le vélo."
    assert [(w.line, w.field) for w in result.warnings] == [(17, "phone")]
    assert "PHOTO" in " ".join(result.notes)


@pytest.mark.django_db
def test_vcard_30_and_40(org: Organisation) -> None:
    load(org, "v30.vcf")
    load(org, "v40.vcf")
    amelie = contact(org, "a.rousseau@liberation.example")
    assert (amelie.country, amelie.region) == ("FR", "Île-de-France")
    assert sorted(t.name for t in amelie.tags.all()) == ["Climat", "Presse nationale"]
    jean_marc = contact(org, "jm.dubois@radiofrance.example")
    assert jean_marc.emails.count() == 1
    simone = contact(org, "simone.garnier@mediapart.example")
    assert simone.phones.get().e164 == "+33144689908"
    assert simone.languages == ["fr", "en"]


@pytest.mark.django_db
def test_xlsx_made_with_openpyxl(org: Organisation) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Prénom", "Nom", "Média", "Courriel", "Portable", "Notes"])
    sheet.append(
        ["Hélène", "Lefèvre", "L’Équipe", "helene@example.org", 612345678, "ligne 1\nligne 2"]
    )
    sheet.append(["Paul", "Martin", "AFP", "paul@", None, None])
    out = io.BytesIO()
    workbook.save(out)
    result = run_import(org, out.getvalue(), "presse.xlsx", ImportOptions())
    assert result.file_format == "xlsx"
    assert result.counts["created"] == 1
    assert [(p.line, p.field) for p in result.skipped] == [(3, "email")]
    helene = contact(org, "helene@example.org")
    assert helene.phones.get().e164 == "+33612345678"
    assert helene.notes.get().text == "ligne 1\nligne 2"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_imports(org: Organisation, encoding: str) -> None:
    csv_data = "Nom\tPrénom\tEmail\r\nLefèvre\tHélène\thelene@example.fr\r\n".encode(encoding)
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Zola;Émilie\r\nEMAIL:emilie@example.fr\r\nEND:VCARD\r\n"
    for name, data in (("contacts.csv", csv_data), ("contacts.vcf", card.encode(encoding))):
        result = run_import(org, data, name, ImportOptions())
        assert result.counts["created"] == 1, (name, result.as_dict())
    assert contact(org, "helene@example.fr").first_name == "Hélène"
    assert contact(org, "emilie@example.fr").first_name == "Émilie"
