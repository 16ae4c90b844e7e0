"""Exports: CSV and XLSX with formula injection neutralised, vCard that re-imports, permissions."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import exporting, services
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact, ContactList, ListMembership
from pressdesk.contacts.models.optout import OptOutReason

URL = "/o/acme/contacts/export/"
HOSTILE = [
    ('=HYPERLINK("http://evil.example";"clic")', "'=HYPERLINK"),
    ("+33 6 12 34 56 78", "'+33"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM"),
    ("\tTab", "'\tTab"),
    ("\rCR", "'\rCR"),
]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sample(org: Organisation) -> None:
    data = (
        "Prénom;Nom;Média;Type de média;Fonction;Email;Téléphone;Portable;Rubrique;Tags;Pays;"
        "Région;Langue;Twitter;Notes\n"
        "Hélène;Lefèvre;L’Équipe;PQR;Rédactrice;helene@example.org, h.l@example.org;"
        "01 40 93 20 20;06 12 34 56 78;Sport, Cyclisme;Tier 1;France;Île-de-France;fr, en;"
        '@hlefevre;"Deux lignes\nde note ; avec point-virgule"\n'
        "Tom;Becker;Deutsche Welle;TV;Reporter;tom@example.org;+49 30 4646 0;;Europe;;"
        "Allemagne;Berlin;de;;\n"
    )
    run_import(org, data.encode(), "source.csv", ImportOptions())


def read_csv(content: bytes, delimiter: str = ";") -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


@pytest.mark.django_db
def test_csv_neutralises_formulas(org: Organisation) -> None:
    for index, (value, _expected) in enumerate(HOSTILE):
        Contact.objects.create(org=org, first_name=value, last_name=f"N{index}")
    content = b"".join(exporting.csv_chunks(exporting.rows(org, exporting.contacts_for(org))))
    rows = read_csv(content)
    firsts = [r[0] for r in rows[1:]]
    for (value, expected), cell in zip(HOSTILE, firsts, strict=True):
        assert cell.startswith(expected) and cell == "'" + value
    # Every cell is quoted.
    assert content.decode("utf-8-sig").startswith('"First name";"Last name"')


@pytest.mark.django_db
def test_xlsx_neutralises_formulas_and_keeps_strings(org: Organisation) -> None:
    for index, (value, _expected) in enumerate(HOSTILE):
        Contact.objects.create(org=org, first_name=value, last_name=f"{index:03d}", country="FR")
    out = io.BytesIO()
    exporting.write_xlsx(exporting.rows(org, exporting.contacts_for(org)), out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = list(sheet.iter_rows(min_row=2, values_only=True))
    for (value, _expected), row in zip(HOSTILE, cells, strict=True):
        # XML turns a carriage return into a line feed; what matters is the apostrophe.
        assert row[0] == "'" + value.replace("\r", "\n")
    assert cells[0][1] == "000"  # a number-looking name stays a string
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


@pytest.mark.django_db
def test_csv_export_reimports_as_the_same_data(org: Organisation, other_org: Organisation) -> None:
    sample(org)
    content = b"".join(exporting.csv_chunks(exporting.rows(org, exporting.contacts_for(org))))
    result = run_import(other_org, content, "export.csv", ImportOptions())
    assert result.counts["created"] == 2 and result.skipped == [] and result.warnings == []
    assert snapshot(org) == snapshot(other_org)


@pytest.mark.django_db
def test_vcard_export_reimports_as_the_same_data(
    org: Organisation, other_org: Organisation
) -> None:
    sample(org)
    content = b"".join(exporting.vcard_chunks(exporting.contacts_for(org)))
    text = content.decode()
    assert text.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    result = run_import(other_org, content, "export.vcf", ImportOptions())
    assert result.counts["created"] == 2 and result.skipped == []
    assert snapshot(org) == snapshot(other_org)


def snapshot(org: Organisation) -> list[dict[str, Any]]:
    out = []
    for c in Contact.objects.filter(org=org).order_by("last_name"):
        out.append(
            {
                "name": (c.first_name, c.last_name, c.job_title),
                "emails": sorted(e.email for e in c.emails.all()),
                "phones": sorted((p.e164, p.label == "mobile") for p in c.phones.all()),
                "outlets": sorted(
                    (p.outlet.name, p.outlet.media_type, p.title) for p in c.positions.all()
                ),
                "beats": sorted(b.name for b in c.beats.all()),
                "tags": sorted(t.name for t in c.tags.all()),
                "where": (c.country, c.region, c.languages),
                "social": c.social,
                "notes": [n.text for n in c.notes.all()],
            }
        )
    return out


@pytest.mark.django_db
def test_it_exports_a_list_or_a_segment(org: Organisation) -> None:
    sample(org)
    static = ContactList.objects.create(org=org, name="Sport")
    ListMembership.objects.create(
        contact_list=static, contact=Contact.objects.get(first_name="Hélène")
    )
    assert [c.first_name for c in exporting.contacts_for(org, static)] == ["Hélène"]
    segment = ContactList.objects.create(
        org=org, name="Germanophones", kind=ContactList.SEGMENT, filters={"language": "de"}
    )
    assert [c.first_name for c in exporting.contacts_for(org, segment)] == ["Tom"]


@pytest.mark.django_db
def test_opted_out_people_are_marked(org: Organisation) -> None:
    sample(org)
    services.opt_out(org, "TOM@example.org", OptOutReason.OBJECTION)
    rows = list(exporting.rows(org, exporting.contacts_for(org)))
    by_name = {r[0]: r[-1] for r in rows[1:]}
    assert by_name == {"Hélène": "", "Tom": "yes"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_format", "kind"),
    [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("vcard", "text/vcard")],
)
def test_the_download_streams_and_is_audited(
    as_bob: Client, org: Organisation, file_format: str, kind: str
) -> None:
    sample(org)
    page = as_bob.get(URL)
    assert page.status_code == 200
    r = as_bob.post(URL + "download/", {"file_format": file_format, "scope": "", "delimiter": ";"})
    assert r.status_code == 200 and kind in r["Content-Type"]
    assert r["Cache-Control"] == "no-store"
    assert "attachment" in r["Content-Disposition"]
    body = b"".join(r.streaming_content)  # type: ignore[attr-defined]
    assert "Lefèvre".encode() in body or file_format == "xlsx"
    entry = AuditEntry.objects.get(action="contacts.export")
    assert entry.actor.email == "bob@example.org"
    assert entry.data == {"format": file_format, "count": 2, "scope": "all"}


@pytest.mark.django_db
def test_a_list_of_another_organisation_cannot_be_exported(
    as_bob: Client, other_org: Organisation
) -> None:
    theirs = ContactList.objects.create(org=other_org, name="Theirs")
    r = as_bob.post(URL + "download/", {"file_format": "csv", "scope": str(theirs.pk)})
    assert r.status_code == 400
    assert not AuditEntry.objects.filter(action="contacts.export").exists()


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(URL + "download/", {"file_format": "csv"}).status_code == 404


@pytest.mark.django_db
def test_it_requires_the_export_permission(as_vera: Client, sam: Any, client: Client) -> None:
    assert as_vera.get(URL).status_code == 403
    assert as_vera.post(URL + "download/", {"file_format": "csv"}).status_code == 403
    client.force_login(sam, backend="pressdesk.accounts.backends.EmailBackend")
    assert client.post(URL + "download/", {"file_format": "csv"}).status_code == 403
    assert not AuditEntry.objects.filter(action="contacts.export").exists()


@pytest.mark.django_db
def test_it_rejects_get_on_the_download(as_bob: Client) -> None:
    assert as_bob.get(URL + "download/?file_format=csv").status_code == 405
    assert as_bob.post(URL).status_code == 405
