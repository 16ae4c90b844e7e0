"""Exports: CSV and XLSX with formula injection neutralised, vCard that re-imports, permissions."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import editing, exporting, phones, services
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.importing.vcard import read_vcards
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
    with translation.override("en"):
        table = exporting.rows(org, exporting.contacts_for(org))
        content = b"".join(exporting.csv_chunks(table))
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
    for (value, _expected), row in zip(HOSTILE, sheet.iter_rows(min_row=2), strict=True):
        # The value comes back whole (openpyxl writes through lxml, which keeps a carriage
        # return as &#13;). No apostrophe shows: the cell is text, quote-prefixed as Excel does
        # for "'=…" typed by hand, so editing it keeps it text.
        assert row[0].value == value
        assert row[0].data_type == "s" and row[0].quotePrefix
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
    with translation.override("en"):
        rows = list(exporting.rows(org, exporting.contacts_for(org)))
    by_name = {r[0]: r[-1] for r in rows[1:]}
    assert by_name == {"Hélène": "", "Tom": "yes"}
    # The labels are translated once per export, in the language active when it runs.
    with translation.override("fr"):
        rows = list(exporting.rows(org, exporting.contacts_for(org)))
        assert rows[0] == exporting.headers()
        assert {r[0]: r[-1] for r in rows[1:]} == {"Hélène": "", "Tom": translation.gettext("yes")}


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
    # The audit log says which file went out: the name the browser saved it under.
    saved_as = r["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert entry.data == {"format": file_format, "count": 2, "scope": "all", "file": saved_as}


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


def people(org: Organisation, count: int, start: int = 0) -> None:
    """`count` contacts with every relation the export reads, imported as a user would."""
    lines = ["Prénom;Nom;Média;Type de média;Fonction;Email;Téléphone;Portable;Rubrique;Tags;Notes"]
    for n in range(start, start + count):
        lines.append(
            f"P{n};N{n};Média {n % 7};PQR;Reporter;p{n}@example.org, q{n}@example.org;"
            f"01 40 93 {n // 100 % 100:02d} {n % 100:02d};06 12 34 {n // 100 % 100:02d} "
            f"{n % 100:02d};Sport, Beat {n % 5};Tag {n % 3};Note {n}"
        )
    result = run_import(org, "\n".join(lines).encode(), "people.csv", ImportOptions())
    assert result.counts["created"] == count and result.skipped == []


def export_queries(org: Organisation) -> tuple[int, int]:
    """Queries made to export the organisation as CSV and as vCard, and the rows written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as csv_queries:
        content = b"".join(exporting.csv_chunks(exporting.rows(org, exporting.contacts_for(org))))
    with CaptureQueriesContext(connection) as vcard_queries:
        cards = b"".join(exporting.vcard_chunks(exporting.contacts_for(org)))
    assert cards.count(b"BEGIN:VCARD") == len(read_csv(content)) - 1
    return len(csv_queries) + len(vcard_queries), len(read_csv(content)) - 1


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_contacts(org: Organisation) -> None:
    people(org, 10)
    services.opt_out(org, "p3@example.org", OptOutReason.OBJECTION)
    few, rows = export_queries(org)
    assert rows == 10
    people(org, 50, start=10)
    many, rows = export_queries(org)
    assert rows == 60
    assert many == few
    # A handful per format: the opt-out list, the contacts and one query per relation.
    assert few <= 20


@pytest.mark.django_db
def test_chunks_give_the_same_export_as_one_batch(
    org: Organisation, other_org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    people(org, 23)
    people(other_org, 3, start=100)  # a gap in the ids: that chunk is read with IN (...)
    sample(org)
    services.opt_out(org, "p20@example.org", OptOutReason.OBJECTION)
    with translation.override("en"):
        whole = list(exporting.rows(org, exporting.contacts_for(org)))
        cards = b"".join(exporting.vcard_chunks(exporting.contacts_for(org)))
        monkeypatch.setattr(exporting, "CHUNK", 4)
        assert list(exporting.rows(org, exporting.contacts_for(org))) == whole
    assert b"".join(exporting.vcard_chunks(exporting.contacts_for(org))) == cards
    assert len(whole) == 26
    # Everything a contact has is on its own row, not on a neighbour's.
    row = next(r for r in whole if r[0] == "P20")
    assert row[1] == "N20" and row[2] == "p20@example.org, q20@example.org"
    assert row[3] == "01 40 93 00 20" and row[4] == "06 12 34 00 20"
    assert (row[5], row[6], row[7]) == ("Média 6", "Reporter", "Regional daily (PQR)")
    assert row[8] == "Beat 0, Sport" and row[9] == "Tag 2" and row[17] == "Note 20"
    assert row[-1] == "yes"
    assert sum(1 for r in whole if r[-1] == "yes") == 1
    assert {"P100", "P101", "P102"}.isdisjoint(r[0] for r in whole)  # not theirs
    ids = list(Contact.objects.filter(org=org).order_by("pk").values_list("pk", flat=True))
    assert exporting._of(ids[:23]) == {"contact_id__gte": ids[0], "contact_id__lte": ids[22]}
    assert exporting._of(ids) == {"contact_id__in": ids}


@pytest.mark.parametrize(
    "e164",
    [
        *(
            f"+33{first}{rest}"
            for first in "123456789"
            for rest in ("00000000", "12345678", "99999999")
        ),
        *("+33800123456", "+33899123456", "+3361234567", "+331234567890"),
        *("+442079460958", "+3225551234", "+41446681800", "+15145550123", "+4930464600"),
        "not a number",
    ],
)
def test_phones_read_the_same_with_or_without_the_shortcut(e164: str) -> None:
    assert phones.display(e164, "raw") == phones.formatted(e164)
    assert phones.display("", "01 02") == "01 02"


def test_vcard_lines_fold_at_75_octets_between_characters() -> None:
    assert exporting._fold("FN:Hélène Lefèvre") == "FN:Hélène Lefèvre\r\n"
    for line in ("NOTE:" + "é" * 100, "NOTE:" + "a" * 70 + "é", "NOTE:" + "x" * 75):
        folded = exporting._fold(line)
        parts = folded.removesuffix("\r\n").split("\r\n")
        assert all(len(part.encode()) <= 75 for part in parts) and len(parts) > 1
        assert parts[0] + "".join(part.removeprefix(" ") for part in parts[1:]) == line


@pytest.mark.django_db
def test_mobiles_go_in_the_mobile_column_whatever_their_label(org: Organisation) -> None:
    data = {
        "first_name": "Hélène",
        "phones": editing.clean_phones(
            ["Portable : 06 12 34 56 78", "Mobile: 06 98 76 54 32", "01 40 93 20 20"]
        ),
    }
    contact = editing.save_contact(org, None, data, by=None)
    # A label written before labels were read as kinds still counts as a mobile.
    contact.phones.filter(e164="+33698765432").update(label="Mobile")
    with translation.override("fr"):
        rows = list(exporting.rows(org, exporting.contacts_for(org)))
    header, row = rows
    assert row[header.index("Téléphone")] == "01 40 93 20 20"
    assert row[header.index("Portable")] == "06 12 34 56 78, 06 98 76 54 32"


@pytest.mark.django_db
def test_languages_and_countries_export_by_name_and_import_back(
    org: Organisation, other_org: Organisation
) -> None:
    Contact.objects.create(
        org=org, first_name="Emily", last_name="Hartley", country="GB", languages=["en", "fr"]
    )
    with translation.override("fr"):
        rows = list(exporting.rows(org, exporting.contacts_for(org)))
        header, row = rows
        assert row[header.index("Langues")] == "anglais, français"
        assert row[header.index("Pays")] == "Royaume-Uni"
        run_import(other_org, exporting.csv_text(rows).encode(), "export.csv", ImportOptions())
    again = Contact.objects.get(org=other_org)
    assert (again.country, again.languages) == ("GB", ["en", "fr"])


@pytest.mark.django_db
def test_xlsx_phones_are_text_without_an_apostrophe(org: Organisation) -> None:
    data = {"first_name": "Tom", "phones": editing.clean_phones(["+49 30 4646 0"])}
    editing.save_contact(org, None, data, by=None)
    out = io.BytesIO()
    with translation.override("en"):
        exporting.write_xlsx(exporting.rows(org, exporting.contacts_for(org)), out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    header = [c.value for c in sheet[1]]
    phone = sheet.cell(row=2, column=header.index("Phone") + 1)
    assert phone.value == "+49 30 46460"
    assert phone.data_type == "s" and phone.quotePrefix


def test_vcard_values_cannot_add_a_property_or_a_card() -> None:
    # Stored before validation existed, or written straight to the database.
    hostile = "fr\r\nEMAIL;TYPE=INTERNET:x@evil.test\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Evil"
    entry = exporting.Entry(
        first_name="Marie\nEMAIL:a@evil.test",
        last_name="Dupont;x,y\\",
        job_title="",
        languages=[hostile],
        country="FR",
        region="Bretagne\u2028EMAIL:b@evil.test",
        social={"x\r\nEMAIL:c@evil.test": "@marie\rEMAIL:d@evil.test", "bluesky": "a;b"},
        source_kind="",
        source_label="",
        lawful_basis="",
        created=timezone.now(),
        emails=["marie@example.fr"],
        positions=[("Ouest-France", "Reporter", "daily\nEMAIL:e@evil.test")],
        notes=["Ligne 1\r\nEND:VCARD\x0bBEGIN:VCARD"],
    )
    card = exporting.vcard(entry)
    lines = "".join(card.split("\r\n ")).split("\r\n")
    assert lines.count("BEGIN:VCARD") == 1 and lines.count("END:VCARD") == 1
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
    assert [line for line, name in zip(lines, names, strict=True) if name == "EMAIL"] == [
        "EMAIL;TYPE=INTERNET,PREF:marie@example.fr"
    ]
    assert not any(c in card.replace("\r\n", "") for c in "\r\n\x0b\u2028")
    assert "N:Dupont\\;x\\,y\\\\;Marie\\nEMAIL:a@evil.test;;;" in lines
    cards = list(read_vcards(card.encode()))
    assert len(cards) == 1 and cards[0].fields["email"] == ["marie@example.fr"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown"), [("fr", "dd/mm/yyyy"), ("en", "yyyy-mm-dd")])
def test_xlsx_dates_are_date_cells_in_the_users_format(
    org: Organisation, language: str, shown: str
) -> None:
    editing.save_contact(org, None, {"first_name": "Tom"}, by=None)
    out = io.BytesIO()
    with translation.override(language):
        exporting.write_xlsx(exporting.rows(org, exporting.contacts_for(org), dates=True), out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    header = [c.value for c in sheet[1]]
    created = sheet.cell(row=2, column=len(header) - 1)
    assert created.is_date and created.number_format == shown
    assert created.value.date() == timezone.localdate()


@pytest.mark.django_db
def test_csv_dates_are_iso_8601_whatever_the_language(org: Organisation) -> None:
    editing.save_contact(org, None, {"first_name": "Tom"}, by=None)
    with translation.override("fr"):
        table = read_csv(
            b"".join(exporting.csv_chunks(exporting.rows(org, exporting.contacts_for(org))))
        )
    assert table[0][-2] == "Créé le"
    assert table[1][-2] == timezone.localdate().isoformat()
