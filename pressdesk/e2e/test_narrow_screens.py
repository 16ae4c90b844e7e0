"""On a phone the navigation folds behind a menu button and the press file's filters go in a
drawer, so that the results come first; on a laptop both are always in view."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import PASSWORD
from pressdesk.contacts.models import Contact, ImportJob
from pressdesk.e2e.conftest import log_in
from pressdesk.e2e.screenshots import populate_french_office

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 900}


def test_it_folds_the_navigation_behind_a_menu_button_on_a_phone(
    page: Page, org: Organisation, alice: User
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, "alice@example.org")
    contacts_link = page.locator("nav.sidenav").get_by_role("link", name="Contacts")
    menu = page.locator("summary.menu-button")
    expect(menu).to_be_visible()
    expect(menu).to_have_accessible_name("Menu")
    expect(contacts_link).to_be_hidden()

    menu.click()
    expect(contacts_link).to_be_visible()
    contacts_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contacts")
    # A new page starts with the menu folded again.
    expect(page.locator("nav.sidenav").get_by_role("link", name="Team")).to_be_hidden()


def test_it_shows_the_navigation_without_a_button_on_a_laptop(
    page: Page, org: Organisation, alice: User
) -> None:
    log_in(page, "alice@example.org")
    expect(page.locator("summary.menu-button")).to_be_hidden()
    expect(page.locator("nav.sidenav").get_by_role("link", name="Contacts")).to_be_visible()
    page.goto("/o/acme/contacts/")
    # The filters are a side panel, open, with no drawer handle.
    expect(page.locator("summary.drawer-toggle")).to_be_hidden()
    expect(page.locator("#filters")).to_be_visible()


def test_it_puts_the_filters_in_a_drawer_and_the_contacts_first_on_a_phone(
    page: Page, org: Organisation, alice: User
) -> None:
    for n in range(3):
        Contact.objects.create(
            org=org, first_name="Journaliste", last_name=f"N°{n}", job_title="Pigiste"
        )
    page.set_viewport_size(PHONE)
    log_in(page, "alice@example.org")
    page.goto("/o/acme/contacts/")
    drawer = page.locator("summary.drawer-toggle")
    expect(drawer).to_be_visible()
    expect(page.locator("#filters")).to_be_hidden()
    # The first contact shows on the first screen, as a card.
    first = page.locator("#results tbody tr").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    assert first.evaluate("row => getComputedStyle(row).display") == "block"

    drawer.click()
    expect(page.locator("#filters")).to_be_visible()


# The press file's other lists: one card per row on a phone, a table in its scroll box on a laptop.
CARD_PAGES = {
    "outlets": "/o/{org}/contacts/outlets/",
    "lists": "/o/{org}/contacts/lists/",
    "imports": "/o/{org}/contacts/import/",
    "import": "/o/{org}/contacts/import/{job}/",
}


def _row_displays(page: Page, url: str) -> list[str]:
    page.goto(url)
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    return [str(d) for d in rows.evaluate_all("rs => rs.map(r => getComputedStyle(r).display)")]


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_it_shows_outlets_lists_and_imports_as_cards_on_a_phone(page: Page) -> None:
    office = populate_french_office(PASSWORD)
    job = ImportJob.objects.create(
        org=office.org,
        filename="salon-de-l-agriculture-2026-liste-des-journalistes-accredites.csv",
        file_format="csv",
        status=ImportJob.DONE,
        counts={"rows": 3, "created": 1, "updated": 0, "skipped": 1},
        skipped=[
            {"line": 3, "field": "email", "column": "Courriel", "reason": "adresse illisible"},
            {"level": "warning", "line": 2, "field": "phone", "column": "Tél", "reason": "?"},
        ],
    )
    urls = {k: v.format(org=office.org.slug, job=job.pk) for k, v in CARD_PAGES.items()}
    log_in(page, office.director.email)
    page.set_viewport_size(PHONE)
    for name, url in urls.items():
        displays = _row_displays(page, url)
        assert set(displays) == {"block"}, (name, displays)
        # A card's label says what its value is, in French.
        if name == "outlets":
            label = page.locator("main table tbody tr td[data-label]").first
            assert label.evaluate("td => getComputedStyle(td, '::before').content").startswith(
                '"Type de média\u00a0:'
            )
    page.set_viewport_size(LAPTOP)
    for name, url in urls.items():
        assert set(_row_displays(page, url)) == {"table-row"}, name
        expect(page.locator("main .table-scroll > table").first).to_be_visible()
