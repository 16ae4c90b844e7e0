"""A press officer on a phone links an unknown byline to a journalist of the press file who is
not among its suggestions, through the picker, and the page never scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in
from pressdesk.e2e.test_page_widths import PHONE, overflow
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import journalist, unknown

pytestmark = pytest.mark.e2e


def test_a_journalist_is_picked_for_a_byline_on_a_phone(
    page: Page, bob: User, org: Organisation
) -> None:
    seen = unknown(org, author="Jean-Baptiste de La Fontaine-Marchandise")
    claire = journalist(org, "Claire-Marguerite", "Moreau-Vandenbroucke")
    log_in(page, "bob@example.org")
    page.set_viewport_size(PHONE)
    page.goto("/o/acme/monitoring/bylines/")
    expect(page.get_by_role("heading", name=seen.byline.name)).to_be_visible()
    assert not overflow(page, PHONE)

    page.get_by_label("Or find any journalist of the press file").fill("Hebdo du Centre")
    results = page.locator(f"#byline-results-{seen.byline.pk}")
    expect(results.get_by_text("claire-marguerite@hebdo.example")).to_be_visible()
    assert not overflow(page, PHONE)

    results.get_by_role("button", name=f"Link to {claire}").click()
    expect(page.get_by_text("No byline to review")).to_be_visible()
    seen.byline.refresh_from_db()
    seen.item.refresh_from_db()
    assert (seen.byline.status, seen.item.author_contact) == (Byline.LINKED, claire)

    page.goto(f"/o/acme/contacts/{claire.pk}/")
    expect(page.get_by_role("heading", name="Recent articles")).to_be_visible()
    expect(page.get_by_role("link", name="Acme opens a plant")).to_be_visible()
    assert not overflow(page, PHONE)
