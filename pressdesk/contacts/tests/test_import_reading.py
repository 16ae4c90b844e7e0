"""Reading files as they come: encodings, delimiters, line numbers, headers, vCards, hostile."""

from __future__ import annotations

import gc
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.test import override_settings
from django.utils import translation

from pressdesk.contacts.importing.headers import (
    auto_mapping,
    headers_key,
    recognise,
    unknown_headers,
)
from pressdesk.contacts.importing.reading import (
    ReadError,
    decode,
    detect_format,
    read_csv,
    read_xlsx,
)
from pressdesk.contacts.importing.vcard import read_vcards

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_it_reads_excel_cp1252_with_semicolons() -> None:
    table = read_csv(fixture("excel_fr_cp1252.csv"))
    assert table.encoding == "cp1252"
    assert table.delimiter == ";"
    assert table.headers[:3] == ["Nom", "Prénom", "Média"]
    rows = list(table.rows)
    assert rows[0].cells[:3] == ["Lefèvre", "Hélène", "L’Équipe"]
    # The quoted note spans lines 3-4, so the next row starts on line 5.
    assert [r.line for r in rows] == [2, 3, 5, 6, 7]
    assert "\n" in rows[1].cells[-1]


def test_it_reads_utf8_with_bom_and_commas() -> None:
    table = read_csv(fixture("utf8_bom.csv"))
    assert table.encoding == "utf-8-sig"
    assert table.delimiter == ","
    assert table.headers[0] == "First Name"
    assert next(table.rows).cells[:2] == ["Siobhán", "O’Connor"]


def test_it_reads_tabs() -> None:
    table = read_csv(fixture("meltwater.tsv"))
    assert table.delimiter == "\t"
    assert len(table.headers) == 8


def test_it_reads_utf16_from_excel_unicode_text() -> None:
    data = "\ufeffNom\tEmail\r\nHélène\th@example.org\r\n".encode("utf-16-le")
    table = read_csv(data)
    assert table.encoding == "utf-16"
    assert next(table.rows).cells == ["Hélène", "h@example.org"]


def test_it_reads_utf8_without_bom() -> None:
    text, encoding = decode("Prénom,Email\nZoë,z@example.org\n".encode())
    assert encoding == "utf-8"
    assert "Zoë" in text


def test_it_numbers_rows_by_the_line_they_start_on() -> None:
    table = read_csv(fixture("multiline.csv"))
    lines = [(r.line, r.cells[0]) for r in table.rows]
    # The blank line 7 is skipped, but counted.
    assert lines == [
        (2, "alice.martin@example.org"),
        (5, "bad-address"),
        (8, "claire.roux@example.org"),
    ]


def test_it_skips_a_title_line_above_the_headers() -> None:
    table = read_csv(b"Export du 12/03/2025;;\nNom;Pr\xe9nom;Email\nDupont;Marie;m@example.org\n")
    assert table.headers == ["Nom", "Prénom", "Email"]
    assert table.header_line == 2


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Prénom", "first_name"),
        ("PRENOM", "first_name"),
        ("  e-mail  ", "email"),
        ("Courriel", "email"),
        ("Média", "outlet"),
        ("Support", "outlet"),
        ("Rédaction", "outlet"),
        ("Fonction", "title"),
        ("Poste", "title"),
        ("Téléphone", "phone"),
        ("Portable", "mobile"),
        ("Rubrique", "beats"),
        ("Thématiques", "beats"),
        ("Ville", "city"),
        ("Région", "region"),
        ("Pays", "country"),
        ("Langue", "languages"),
        ("Twitter/X", "x"),
        ("LinkedIn", "linkedin"),
        ("Notes", "notes"),
        ("Company", "outlet"),
        ("Job Title", "title"),
        ("E-mail Address", "email"),
        ("Mobile Phone", "mobile"),
        ("Business Phone", "phone"),
        ("Beats", "beats"),
        ("Topics", "beats"),
        ("Tags", "tags"),
        ("Given Name", "first_name"),
        ("E-mail 1 - Value", "email"),
        ("E-mail 3 - Value", "email"),
        ("Phone 1 - Value", "phone"),
        ("Organization 1 - Name", "outlet"),
        ("Organization 1 - Title", "title"),
        ("Organization Name", "outlet"),
        ("Organization Title", "title"),
        ("Outlet Name", "outlet"),
        ("Media Outlet", "outlet"),
        ("Email Address", "email"),
        ("Address 1 - Street", "ignore"),
        ("Une colonne à nous", None),
    ],
)
def test_it_recognises_headers(header: str, field: str | None) -> None:
    assert recognise(header) == field


def test_nom_is_the_last_name_next_to_a_first_name_and_the_full_name_alone() -> None:
    assert auto_mapping(["Nom", "Prénom"])["Nom"] == "last_name"
    assert auto_mapping(["Nom", "Email"])["Nom"] == "full_name"


def test_title_is_a_courtesy_title_in_outlook_and_a_job_title_elsewhere() -> None:
    assert auto_mapping(["Title", "First Name", "Job Title"])["Title"] == "ignore"
    assert auto_mapping(["Name", "Title", "Email"])["Title"] == "title"


@pytest.mark.parametrize(
    "name",
    [
        "google_contacts.csv",
        "google_contacts_legacy.csv",
        "outlook.csv",
        "cision_export.csv",
        "meltwater.tsv",
    ],
)
def test_known_export_formats_need_no_mapping(name: str) -> None:
    table = read_csv(fixture(name))
    assert unknown_headers(auto_mapping(table.headers)) == []


def test_headers_key_ignores_accents_case_and_spacing() -> None:
    assert headers_key(["Prénom", "E-mail"]) == headers_key(["prenom ", "email"])
    assert headers_key(["Prénom", "E-mail"]) != headers_key(["E-mail", "Prénom"])


def test_it_detects_formats_by_content_then_extension() -> None:
    assert detect_format("contacts.csv", b"BEGIN:VCARD\r\nVERSION:3.0") == "vcard"
    assert detect_format("contacts.txt", b"PK\x03\x04rest") == "xlsx"
    assert detect_format("contacts.vcf", b"not really") == "vcard"
    assert detect_format("export", b"Nom;Email") == "csv"
    with pytest.raises(ReadError, match="old Excel"):
        detect_format("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1")


def test_it_reads_vcard_21_quoted_printable_with_charsets() -> None:
    cards = list(read_vcards(fixture("v21_quoted_printable.vcf")))
    assert [c.line for c in cards] == [1, 17]
    helene = cards[0].fields
    assert helene["first_name"] == ["Hélène"] and helene["last_name"] == ["Lefèvre"]
    assert helene["outlet"] == ["L’Équipe"]
    assert helene["email"] == ["helene.lefevre@lequipe.example", "h.lefevre@example.org"]
    assert helene["notes"] == ["Préfère le matin.\r\nCouvre aussi le vélo."]
    assert "PHOTO" in cards[0].ignored


def test_it_reads_vcard_30_escapes_and_several_jobs() -> None:
    amelie = next(read_vcards(fixture("v30.vcf")))
    assert amelie.fields["outlet"] == ["Libération"]
    assert amelie.fields["notes"] == ["Rencontrée au salon, veut des chiffres.\nRelancer en mars."]
    assert amelie.fields["tags"] == ["Presse nationale", "Climat"]
    assert amelie.fields["country"] == ["France"]
    assert amelie.fields["x"] == ["https://twitter.com/arousseau"]


def test_it_reads_vcard_40_tel_uris() -> None:
    simone = next(read_vcards(fixture("v40.vcf")))
    assert simone.fields["phone"] == ["work|+33-1-44-68-99-08 ext. 12"]
    assert simone.fields["languages"] == ["fr", "en"]


def _folded_note(lines: int, quoted_printable: bool = False) -> bytes:
    """A card whose NOTE is folded over this many lines (7 MB at 100,000)."""
    if quoted_printable:
        note = "NOTE;ENCODING=QUOTED-PRINTABLE:d=C3=A9but=" + ("x" * 70 + "=\r\n") * lines
    else:
        note = "NOTE:début" + ("\r\n " + "x" * 70) * lines
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marie Dupont\r\n{note}fin\r\nEND:VCARD\r\n".encode()


def _reading_time(data: bytes) -> float:
    # CPU time, not wall time: on a loaded machine the process may wait for a core. The garbage
    # collector is held off, since a collection landing in one run and not the other skews the
    # ratio on a busy machine.
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        card = next(read_vcards(data))
        elapsed = time.process_time() - started
    finally:
        gc.enable()
    assert card.fields["notes"][0].startswith("début") and card.fields["notes"][0].endswith("fin")
    return elapsed


@pytest.mark.parametrize("quoted_printable", [False, True])
def test_it_reads_a_long_folded_value_in_linear_time(quoted_printable: bool) -> None:
    # Ten times the lines must cost about ten times the time (quadratic reading: 100 times).
    # A ratio of CPU times, measured in the same process, holds on a loaded machine where seconds
    # do not.
    small = min(_reading_time(_folded_note(10_000, quoted_printable)) for _ in range(2))
    large = min(_reading_time(_folded_note(100_000, quoted_printable)) for _ in range(2))
    assert large < 30 * small, (small, large)


def test_a_broken_card_is_reported_and_the_others_read() -> None:
    cards = list(read_vcards(fixture("broken.vcf")))
    assert cards[0].line == 1 and "END:VCARD" in cards[0].error
    assert cards[1].fields["email"] == ["bien.forme@example.org"]
    assert cards[2].line == 10


def make_xlsx(rows: list[list[object]], sheets: int = 1) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        workbook.create_sheet(f"Feuille {n + 1}")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_reads_the_first_sheet_of_a_workbook() -> None:
    data = make_xlsx(
        [["Prénom", "Nom", "Portable"], ["Hélène", "Lefèvre", 612345678], [None, None, None]],
        sheets=2,
    )
    table = read_xlsx(data)
    assert table.headers == ["Prénom", "Nom", "Portable"]
    assert [(r.line, r.cells) for r in table.rows] == [(2, ["Hélène", "Lefèvre", "612345678"])]
    assert "Feuille 2" in table.notes[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"Nom;Email\x00;Tel\nA;b@c.d;1\n", "NUL"),
        (bytes(range(256)) * 40, "text file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)) * 50, "text file"),
    ],
)
def test_it_refuses_what_is_not_a_text_file(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_csv(data)


def test_it_refuses_a_field_longer_than_any_contact_needs() -> None:
    data = b'Nom;Notes\nDupont;"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(ReadError, match="Line 2: a cell is longer"):
        list(read_csv(data).rows)


@override_settings(CONTACTS_IMPORT_MAX_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit() -> None:
    with pytest.raises(ReadError, match="too large"):
        read_csv(b"Nom;Email\n" + b"Dupont;d@example.org\n" * 100)


@override_settings(CONTACTS_IMPORT_MAX_ROWS=10)
def test_it_refuses_more_rows_than_the_limit() -> None:
    with pytest.raises(ReadError, match="more than 10 rows"):
        list(read_csv(b"Nom;Email\n" + b"Dupont;d@example.org\n" * 20).rows)
    with pytest.raises(ReadError, match="more than 10 rows"):
        list(read_xlsx(make_xlsx([["Nom"]] + [["Dupont"]] * 20)).rows)


@override_settings(CONTACTS_IMPORT_MAX_ROWS=10_000)
def test_it_writes_the_row_limit_as_the_reader_writes_numbers() -> None:
    data = b"Nom\n" + b"Dupont\n" * 10_002
    with translation.override("fr"), pytest.raises(ReadError, match="plus de 10\u202f000 lignes"):
        list(read_csv(data).rows)
    with translation.override("en"), pytest.raises(ReadError, match="more than 10,000 rows"):
        list(read_csv(data).rows)


def test_it_refuses_a_zip_bomb() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + " " * 50_000_000 + "</row>")
    with pytest.raises(ReadError, match="expands to"):
        read_xlsx(out.getvalue())


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(ReadError, match="not a valid XLSX"):
        read_xlsx(out.getvalue())
