"""Archive search with the query language, and its streaming CSV export (audited)."""

from __future__ import annotations

from datetime import UTC

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.monitoring.tests.support import article

URL = "/o/acme/monitoring/archive/"


def _archive(org: Organisation) -> None:
    article(org, "Acme opens a plant", "<p>Acme opened a plant in Lyon.</p>")
    article(org, "=HYPERLINK orange", "<p>Orange harvest down: a fruit story.</p>")


def test_it_searches_with_the_query_language(as_vera: Client, org: Organisation) -> None:
    _archive(org)
    r = as_vera.get(URL, {"q": "acme OR orange NOT fruit"})
    assert [h.item.title for h in r.context["hits"]] == ["Acme opens a plant"]
    assert "Export every match" not in r.content.decode()  # a viewer may not export


def test_it_shows_a_syntax_error(as_vera: Client, org: Organisation) -> None:
    r = as_vera.get(URL, {"q": "acme AND"})
    assert r.status_code == 200 and "Syntax error" in r.context["error"]


def test_it_exports_every_match_as_csv_and_audits_it(as_bob: Client, org: Organisation) -> None:
    _archive(org)
    r = as_bob.post(f"{URL}export.csv", {"q": "acme OR orange"})
    assert r.status_code == 200 and r.streaming
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 3
    assert '"\'=HYPERLINK orange"' in body  # a formula-like cell is neutralised
    entry = AuditEntry.objects.get(action="monitoring.archive_export")
    assert entry.org == org and entry.data["query"] == "acme OR orange"


def test_it_lets_no_viewer_export(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(f"{URL}export.csv", {"q": "acme"}).status_code == 403
    assert not AuditEntry.objects.filter(action="monitoring.archive_export").exists()


def test_it_refuses_export_by_get(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(f"{URL}export.csv", {"q": "acme"}).status_code == 405


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL, {"q": "acme"}).status_code == 404
    assert as_charlie.post(f"{URL}export.csv", {"q": "acme"}).status_code == 404


def test_it_exports_every_match_as_xlsx_with_date_cells(as_bob: Client, org: Organisation) -> None:
    import io
    from datetime import datetime

    from openpyxl import load_workbook

    from pressdesk.monitoring.models import Item

    _archive(org)
    Item.objects.for_org(org).update(published=datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    r = as_bob.post(f"{URL}export.xlsx", {"q": "acme OR orange"})
    assert r.status_code == 200
    assert r["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "Headline"
    formula_row = next(row for row in rows if str(row[0]).startswith("=HYPERLINK"))
    assert isinstance(formula_row[3], datetime)  # a real date cell, in the organisation's time
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    entry = AuditEntry.objects.get(action="monitoring.archive_export")
    assert entry.data["format"] == "xlsx"


def test_it_lets_no_viewer_export_xlsx(as_vera: Client, org: Organisation) -> None:
    assert as_vera.post(f"{URL}export.xlsx", {"q": "acme"}).status_code == 403
    assert as_vera.get(f"{URL}export.xlsx", {"q": "acme"}).status_code == 405
