"""A press officer imports a French spreadsheet export through the wizard, row errors and all."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# What Excel on a French Windows saves as "CSV": cp1252, semicolons, French headers. "œ" and "’"
# exist in cp1252 but not in latin-1, so they show whether the file was decoded right.
ROWS = [
    "Prénom;Nom;Média;Email;Téléphone",
    "Gaëlle;Prévost;L’Écho républicain;gaelle.prevost@echo.example.fr;02 99 00 12 34",
    "Noël;Cœurdacier;Le Télégramme;noel.coeurdacier@letelegramme.example.fr;06 39 98 11 22",
    "Loïc;Le Bihan;Ouest-France;pas-une-adresse;",
    "Aurélie;Béranger;France Bleu Armorique;a.beranger@francebleu.example.fr;",
]
BAD_LINE = 4  # the header is line 1
IMPORTED = ["Gaëlle Prévost", "Noël Cœurdacier", "Aurélie Béranger"]


@pytest.fixture
def spreadsheet(tmp_path: Path) -> Path:
    """The file as Excel wrote it, with Windows line endings."""
    path = tmp_path / "fichier-presse.csv"
    path.write_bytes(("\r\n".join(ROWS) + "\r\n").encode("cp1252"))
    return path


def count_card(page: Page, title: str) -> str:
    """The number on the dry run's or the result's card with this title."""
    card = page.locator(".cards .card").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )
    return card.locator(".count").inner_text()


def test_it_imports_a_french_csv_and_reports_the_bad_row(
    page: Page, org: Organisation, bob: User, spreadsheet: Path, tmp_path: Path
) -> None:
    log_in(page, "bob@example.org")
    page.goto("/o/acme/contacts/")
    page.locator("nav.subnav").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import contacts", level=1)).to_be_visible()

    page.locator("main input[type=file]").set_input_files(spreadsheet)
    page.get_by_role("button", name="Check the file").click()

    # The columns were recognised, so the wizard goes straight to the dry run.
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of fichier-presse.csv")
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    expect(page.locator("main")).to_contain_text("This was a dry run: nothing has changed yet.")
    expect(page.locator(".cards")).to_contain_text("Will be created")
    assert count_card(page, "Will be created") == "3"
    assert count_card(page, "Will update a contact") == "0"
    assert count_card(page, "Not imported") == "1"
    expect(page.get_by_role("heading", name="Rows not imported")).to_be_visible()
    skipped = page.locator("table").filter(has_text="Reason").locator("tbody tr")
    expect(skipped).to_have_count(1)
    expect(skipped.locator("th, td")).to_have_text(
        [f"Line {BAD_LINE}", "Email", "“pas-une-adresse” is not a valid address"]
    )

    # Nothing is in the press file before the confirmation.
    page.goto("/o/acme/contacts/")
    expect(page.locator("#results").get_by_role("status")).to_have_text("0 contacts")
    page.go_back()

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Ready to import")).to_have_count(0)
    expect(page.locator(".cards")).to_contain_text("Created")
    assert count_card(page, "Created") == "3"
    assert count_card(page, "Updated") == "0"
    assert count_card(page, "Not imported") == "1"

    # The rows left out, as a CSV to fix and import again.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these rows as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "fichier-presse-skipped.csv"
    saved = tmp_path / "skipped.csv"
    download.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    # Acme works in French, so the download uses the French spreadsheets' separator.
    header, *rows = csv.reader(io.StringIO(text), delimiter=";")
    assert header[:3] == ["Line", "Field", "Reason"], text
    assert header[3:] == ROWS[0].split(";")
    assert rows == [
        [str(BAD_LINE), "Email", "“pas-une-adresse” is not a valid address", *ROWS[3].split(";")]
    ], text

    page.get_by_role("link", name="See the contacts").click()
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text("3 contacts")
    names = results.locator("tbody th[scope=row] a")
    expect(names).to_have_text(sorted(IMPORTED, key=lambda n: n.split(" ", 1)[1]))
    row = results.locator("tbody tr").filter(has_text="Noël Cœurdacier")
    expect(row).to_contain_text("Le Télégramme")
    expect(row).to_contain_text("noel.coeurdacier@letelegramme.example.fr")
    expect(results.locator("tbody tr").filter(has_text="Gaëlle Prévost")).to_contain_text(
        "L’Écho républicain"
    )
    expect(results).not_to_contain_text("Le Bihan")
