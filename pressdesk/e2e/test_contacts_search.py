"""Finding a journalist: the contact list's live quick search and the top bar's search box."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def journalist(org: Organisation, first: str, last: str, outlet: str, email: str) -> Contact:
    """A contact created as the contact form would, through the editing service."""
    data = {"first_name": first, "last_name": last, "emails": [email], "outlet": outlet}
    return editing.save_contact(org, None, data, by=None)


@pytest.fixture
def press_file(org: Organisation) -> list[Contact]:
    """Three journalists, one of them with accents in her name and her outlet's."""
    return [
        journalist(org, "Hélène", "Lefèvre", "L’Équipe", "h.lefevre@lequipe.example.fr"),
        journalist(org, "Marie", "Dupont", "Ouest-France", "marie.dupont@ouest-france.example.fr"),
        journalist(org, "Paul", "Girard", "Le Monde", "p.girard@lemonde.example.fr"),
    ]


def test_it_filters_the_contact_list_as_you_type(
    page: Page, alice: User, press_file: list[Contact]
) -> None:
    log_in(page, "alice@example.org")
    page.locator("nav.sidenav").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    results = page.locator("#results")
    rows = results.locator("tbody tr")
    expect(results.get_by_role("status")).to_have_text("3 contacts")
    expect(rows).to_have_count(3)

    # A marker on the window survives htmx swaps but not a page load: the results must change
    # without the page being reloaded.
    page.evaluate("window.pressdeskNoReload = true")
    search = page.get_by_label("Search names, outlets, beats, notes and emails")
    # Typed key by key, without accents: the list listens to keystrokes, not to a submit.
    search.press_sequentially("helene")
    expect(results.get_by_role("status")).to_have_text("1 contact")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Hélène Lefèvre")
    expect(rows.first).to_contain_text("L’Équipe")
    expect(results).not_to_contain_text("Marie Dupont")
    # The search is in the address bar, so it can be bookmarked or shared.
    expect(page).to_have_url(re.compile(r"[?&]q=helene\b"))

    # By outlet, again without the accent or the apostrophe.
    search.fill("")
    search.press_sequentially("equipe")
    expect(page).to_have_url(re.compile(r"[?&]q=equipe\b"))
    expect(results.get_by_role("status")).to_have_text("1 contact")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Hélène Lefèvre")

    # Another outlet's journalist, to be sure the results really follow the box.
    search.fill("")
    search.press_sequentially("ouest")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Marie Dupont")
    assert page.evaluate("window.pressdeskNoReload") is True

    # Opening the result leads to her page.
    search.fill("")
    search.press_sequentially("lefevre")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="Hélène Lefèvre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hélène Lefèvre")
    expect(page.locator("main")).to_contain_text("h.lefevre@lequipe.example.fr")


def test_it_finds_a_journalist_from_the_top_bar(
    page: Page, alice: User, press_file: list[Contact]
) -> None:
    log_in(page, "alice@example.org")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("helene")
    box.press("Enter")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    hits = page.locator("main tbody tr")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("Hélène Lefèvre")
    expect(hits.first).to_contain_text("Contact")
    expect(hits.first).to_contain_text("L’Équipe")
    expect(page.locator("main")).not_to_contain_text("Marie Dupont")

    # Her outlet's name finds her and the outlet itself.
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("equipe")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=equipe\b"))
    expect(hits.filter(has_text="Hélène Lefèvre")).to_have_count(1)
    expect(hits.filter(has_text="Outlet")).to_have_count(1)

    hits.get_by_role("link", name="Hélène Lefèvre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hélène Lefèvre")
