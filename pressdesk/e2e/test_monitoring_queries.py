"""A press officer writes a watch query: a syntax error is shown at its place, the preview shows
what it would have caught, and the saved query is listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in
from pressdesk.monitoring.models import WatchQuery
from pressdesk.monitoring.tests.support import article

pytestmark = pytest.mark.e2e


def test_the_editor_shows_errors_and_previews_the_archive(
    page: Page, bob: User, org: Organisation
) -> None:
    article(org, "Acme opens a plant in Lyon", "<p>Acme opened a plant in Lyon on Thursday.</p>")
    article(org, "Orange harvest down", "<p>The orange harvest is down: fruit prices rise.</p>")
    log_in(page, "bob@example.org")
    page.goto("/o/acme/monitoring/queries/new/")
    page.locator("#id_name").fill("Acme")
    query = page.locator("#id_expression")
    query.fill("acme AND (lyon")
    preview = page.locator("#preview")
    expect(preview.get_by_role("alert")).to_contain_text("Syntax error at character 10")
    expect(preview.locator("mark.error-at")).to_be_visible()
    query.fill("acme AND lyon NOT fruit")
    expect(preview.get_by_role("link", name="Acme opens a plant in Lyon")).to_be_visible()
    expect(preview.locator("mark").first).to_have_text("Acme")
    expect(preview).not_to_contain_text("Orange harvest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Acme")).to_be_visible()
    assert WatchQuery.objects.for_org(org).get().expression == "acme AND lyon NOT fruit"


def test_saving_a_broken_query_keeps_the_form_with_the_error(
    page: Page, bob: User, org: Organisation
) -> None:
    log_in(page, "bob@example.org")
    page.goto("/o/acme/monitoring/queries/new/")
    page.locator("#id_name").fill("Broken")
    page.locator("#id_expression").fill('"Marie Dupont')
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".errorlist")).to_contain_text("Syntax error")
    assert not WatchQuery.objects.for_org(org).exists()
