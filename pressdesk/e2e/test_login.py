"""Logging in and out through the real form."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import PASSWORD
from pressdesk.e2e.conftest import log_out

pytestmark = pytest.mark.e2e


def test_it_logs_in_to_the_dashboard_and_out_again(
    page: Page, org: Organisation, alice: User
) -> None:
    page.goto("/")
    # The home page is for members: the visitor is sent to the login form first.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Welcome to Acme Énergie's press office"
    )
    expect(page.locator(".topbar .org-name")).to_have_text("Acme Énergie")
    expect(page.locator(".user-menu summary")).to_have_text("Alice")

    log_out(page)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    # The session is gone: the dashboard asks to log in again.
    page.goto("/o/acme/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/o/acme/$"))


def test_it_says_when_the_password_is_wrong(page: Page, alice: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("alice@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator(".errorlist")).to_have_text("Wrong email or password.")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    # What was typed stays, except the password.
    expect(page.get_by_label("Email")).to_have_value("alice@example.org")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.locator(".user-menu")).to_have_count(0)
