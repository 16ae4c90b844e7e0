"""Keyboard use: the first Tab reaches the skip link, which jumps over the navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_it_skips_to_the_content_from_the_keyboard(
    page: Page, org: Organisation, alice: User
) -> None:
    log_in(page, "alice@example.org")
    page.goto("/o/acme/team/")
    skip = page.get_by_role("link", name="Skip to content")
    # Hidden until it has the focus, so sighted mouse users never see it.
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/o/acme/team/#main$"))
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes into the page's content, not back through the top bar and the menu.
    page.keyboard.press("Tab")
    expect(page.locator("main :focus")).to_have_count(1)
