"""The layout rules of docs/architecture.md that can be read in the source: every table in a
scroll box, and grid columns that may shrink. The browser walk (e2e/test_page_widths.py) checks
the pages themselves; these catch a new template or stylesheet before any demo data shows it."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
# Vendored third-party files are not ours to change.
VENDORED = ("swagger-ui",)


def ours(pattern: str) -> list[Path]:
    return [p for p in PACKAGE.rglob(pattern) if not any(v in p.parts for v in VENDORED)]


def test_it_puts_every_table_in_a_scroll_box() -> None:
    unboxed = [
        f"{path.relative_to(PACKAGE)}: {line.strip()[:80]}"
        for path in ours("templates/**/*.html")
        if "emails" not in path.parts
        for line in path.read_text().splitlines()
        if re.search(r"<table\b", line)
        and not re.search(r'<div class="table-scroll"><table\b', line)
    ]
    assert not unboxed, "tables outside a .table-scroll box:\n" + "\n".join(unboxed)


def test_it_lets_grid_columns_shrink() -> None:
    # A bare `1fr` track is at least as wide as its content: one long word widens the page.
    shrinkable = re.compile(r"minmax\([^()]*(\([^()]*\))?[^()]*\)")
    found = [
        f"{path.relative_to(PACKAGE)}: {line.strip()[:100]}"
        for path in ours("static/**/*.css")
        for line in path.read_text().splitlines()
        if "grid-template-columns" in line and re.search(r"\b1fr\b", shrinkable.sub("", line))
    ]
    assert not found, "grid columns with a bare 1fr (use minmax(0, 1fr)):\n" + "\n".join(found)
