"""The composer in Chromium: it fits a phone (390 px) and a laptop (1280 px), the preview follows
the recipient chosen (htmx), and the mail itself shows in its sandboxed frame."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in
from pressdesk.mailings.tests import compose_data as data

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 900}
WIDTHS = "[document.scrollingElement.scrollWidth, window.innerWidth]"


def fits(page: Page, viewport: ViewportSize) -> None:
    page.set_viewport_size(viewport)
    width, window = page.evaluate(WIDTHS)
    assert width <= window, f"{width} px wide at {window} px"


def test_the_composer_fits_and_previews_per_recipient(
    page: Page, org: Organisation, bob: User
) -> None:
    mailing = data.mailing(
        org, bob, subject="Pour {{ outlet }} : une très longue ligne d’objet sans fin apparente"
    )
    jeanne = data.contact(org)
    paul = data.contact(
        org, "Paul", "Martin", "paul.martin.avec.une.adresse.longue@example.org", outlet="Le Monde"
    )
    mailing.contacts.add(jeanne, paul)
    log_in(page, "bob@example.org")
    page.goto("/o/acme/mailings/new/")
    fits(page, PHONE)
    fits(page, LAPTOP)
    page.goto(f"/o/acme/mailings/{mailing.pk}/edit/")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Pour Ouest-France")
    frame = page.frame_locator("iframe.preview-html")
    expect(frame.locator("body")).to_contain_text("Jeanne Dupont")
    page.select_option("#preview-contact", str(paul.pk))
    expect(preview).to_contain_text("Pour Le Monde")
    expect(page.frame_locator("iframe.preview-html").locator("body")).to_contain_text("Paul Martin")
    fits(page, LAPTOP)
    fits(page, PHONE)
