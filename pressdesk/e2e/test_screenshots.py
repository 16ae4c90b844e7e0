"""The main pages in French, rendered for real; with PRESSDESK_SCREENSHOTS=1 they are also saved
to docs/screenshots/ (otherwise to a temporary directory, so an ordinary run changes no file)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect

from pressdesk.conftest import PASSWORD
from pressdesk.contacts.views.browse import PER_PAGE
from pressdesk.e2e.conftest import french, log_in
from pressdesk.e2e.screenshots import ORG_NAME, ORG_SLUG, populate_french_office
from pressdesk.modules import navigation

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}

# The press file's pages, shot when the Contacts module has them: (file name, URL name, heading).
CONTACTS_PAGES = [
    ("contacts", "contacts:list", "Contacts"),
    ("outlets", "contacts:outlets", "Outlets"),
    ("lists", "contacts:lists", "Lists and segments"),
    # The import wizard's first step: the upload form.
    ("import", "contacts:import", "Import contacts"),
    ("privacy", "contacts:gdpr_home", "Privacy (GDPR)"),
]


def org_url(url_name: str) -> str | None:
    """The organisation's page with this name, or None if no module provides it yet."""
    try:
        return reverse(url_name, kwargs={"org_slug": ORG_SLUG})
    except NoReverseMatch:
        return None


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def shoot(page: Page, out_dir: Path, name: str, *, full_page: bool = True) -> None:
    """Save the page as `<name>.png` at 1280 px (the whole page) and `<name>-phone.png` at
    390 px (the first screen, as a phone shows it), without a blinking caret or a half-run
    transition."""
    for suffix, viewport, whole in (("", LAPTOP, full_page), ("-phone", PHONE, False)):
        page.set_viewport_size(viewport)
        page.screenshot(
            path=out_dir / f"{name}{suffix}.png",
            full_page=whole,
            animations="disabled",
            caret="hide",
        )
    page.set_viewport_size(LAPTOP)


def visit(page: Page, path: str, heading: str) -> None:
    """Open a page and check that it rendered: 200, its heading, the organisation's shell."""
    response = page.goto(path)
    assert response is not None
    assert response.status == 200, path
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "fr")


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_it_renders_the_main_pages_in_french(page: Page, out_dir: Path) -> None:
    office = populate_french_office(PASSWORD)
    base = f"/o/{ORG_SLUG}"

    visit(page, "/accounts/login/", french("Log in"))
    shoot(page, out_dir, "login", full_page=False)

    log_in(page, office.director.email)
    coming = next(m for m in navigation() if not m.built)
    with translation.override("fr"):
        coming_label = str(coming.label)
    welcome = french("Welcome to %(name)s's press office") % {"name": ORG_NAME}
    pages = [
        ("dashboard", f"{base}/", welcome),
        ("team", f"{base}/team/", french("Team")),
        ("audit-log", f"{base}/audit/", french("Audit log")),
        ("profile", "/accounts/profile/", french("My account")),
        # The first module not built yet, under a stable name whichever module it is.
        ("coming", f"{base}/coming/{coming.key}/", coming_label),
    ]
    for name, url_name, heading in CONTACTS_PAGES:
        url = org_url(url_name)
        if url is not None:
            pages.append((name, url, french(heading)))
    for name, path, heading in pages:
        visit(page, path, heading)
        if path.startswith(base):
            expect(page.locator(".topbar .org-name")).to_have_text(ORG_NAME)
        shoot(page, out_dir, name, full_page=name != "coming")

    # A journalist's page, reached as a user would, from the demo's press file.
    contact_list = org_url("contacts:list")
    if contact_list is not None:
        page.goto(contact_list)
        # The demo's journalists (about sixty) fill the list's first page.
        expect(page.locator("#results tbody tr")).to_have_count(PER_PAGE)
        first = page.locator("#results tbody th[scope=row] a").first
        name = first.inner_text()
        first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        shoot(page, out_dir, "contact")
        pages.append(("contact", page.url, name))

    written = {p.stem for p in out_dir.glob("*.png")}
    names = {"login", *(name for name, _, _ in pages)}
    assert written >= names | {f"{name}-phone" for name in names}
