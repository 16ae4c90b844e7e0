"""Switching the interface between French and English with the top-bar button."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import PageFactory, french, log_in, log_out

pytestmark = pytest.mark.e2e


def expect_language(page: Page, language: str, team_label: str) -> None:
    """The page is in this language: its `lang`, its navigation, and the switch offers the other."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("nav.sidenav .secondary a").first).to_have_text(team_label)
    other = "EN" if language == "fr" else "FR"
    expect(page.locator(".lang-switch button")).to_have_text(other)


def test_it_switches_to_french_and_remembers_it_on_the_account(
    page: Page, new_page: PageFactory, org: Organisation, alice: User
) -> None:
    log_in(page, "alice@example.org")
    expect_language(page, "en", "Team")

    page.locator(".lang-switch button").click()
    expect_language(page, "fr", french("Team"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        french("Welcome to %(name)s's press office") % {"name": "Acme Énergie"}
    )
    response = page.reload()
    assert response is not None
    assert response.headers["content-language"] == "fr"

    log_out(page)
    # A browser that has never seen the switch, with an English Accept-Language: the login form
    # is in English, and once Alice is in, her saved choice wins.
    fresh = new_page(locale="en-GB")
    fresh.goto("/accounts/login/")
    expect(fresh.locator("html")).to_have_attribute("lang", "en")
    log_in(fresh, "alice@example.org")
    expect_language(fresh, "fr", french("Team"))

    # And back to English, which a French-speaking browser then gets too.
    fresh.locator(".lang-switch button").click()
    expect_language(fresh, "en", "Team")
    log_out(fresh)
    french_browser = new_page(locale="fr-FR")
    french_browser.goto("/accounts/login/")
    expect(french_browser.locator("html")).to_have_attribute("lang", "fr")
    log_in(french_browser, "alice@example.org")
    expect_language(french_browser, "en", "Team")
