"""The API documentation renders in Chromium from our static files, under the strict CSP."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Request, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_it_renders_offline_from_the_user_menu(page: Page, org: Organisation, alice: User) -> None:
    elsewhere: list[str] = []

    def note(request: Request) -> None:
        if not request.url.startswith(("http://127.0.0.1", "http://localhost", "data:")):
            elsewhere.append(request.url)

    page.on("request", note)
    log_in(page, "alice@example.org")
    page.goto("/o/acme/")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="API documentation").click()
    expect(page).to_have_url(re.compile(r"/api/v1/docs$"))
    # Swagger UI drew the schema: the title and the press file's operations.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Pressdesk API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert not elsewhere, elsewhere
