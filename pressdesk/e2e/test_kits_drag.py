"""A press kit's parts reordered by drag and drop in Chromium (kit_sort.js), the order stored;
the ↑/↓ buttons still work by keyboard after the list was swapped in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import PageFactory, french, log_in
from pressdesk.e2e.test_releases_flow import LAPTOP, fits
from pressdesk.releases import kits
from pressdesk.releases.models import KitItemKind
from pressdesk.releases.tests import kits_sample as s

pytestmark = pytest.mark.e2e


def test_parts_are_reordered_by_drag_and_drop(
    new_page: PageFactory, org: Organisation, bob: User
) -> None:
    bob.language = "fr"
    bob.save()
    kit = s.kit(org)
    first = kits.add_item(kit, KitItemKind.KEY_FIGURES, title="Chiffres clés", text="- 120 emplois")
    kits.add_item(kit, KitItemKind.QUOTE, title="Le mot de la directrice", text="« Oui »")
    last = kits.add_item(kit, KitItemKind.FACT_SHEET, title="Fiche : le site", text="4 hectares")

    page = new_page("fr-FR")
    page.set_viewport_size(LAPTOP)
    log_in(page, "bob@example.org")
    page.goto(f"/o/acme/releases/kits/{kit.pk}/")
    titles = page.locator("#kit-parts > li strong")
    expect(titles).to_have_text(
        ["Chiffres clés", "Le mot de la directrice", "Fiche\u00a0: le site"]
    )
    handle = page.locator(f"#part-{last.pk} .kit-drag-handle")
    expect(handle).to_be_visible()
    expect(page.locator(".kit-drag-hint")).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    handle.drag_to(
        page.locator(f"#part-{first.pk} .kit-part-text"), target_position={"x": 5, "y": 2}
    )
    expect(titles).to_have_text(
        ["Fiche\u00a0: le site", "Chiffres clés", "Le mot de la directrice"]
    )
    expect(page.locator("#kit-parts[aria-busy]")).to_have_count(0)  # the server's list is in
    assert page.evaluate("window.__sameDocument === true"), "no page load"
    assert [p.title for p in kits.kit_parts(kit)] == [
        "Fiche\u00a0: le site",
        "Chiffres clés",
        "Le mot de la directrice",
    ]
    # The keyboard way still works on the list the script swapped in.
    name = french("Move “%(title)s” down") % {"title": "Fiche\u00a0: le site"}
    button = page.locator(f"#part-{last.pk}").get_by_role("button", name=name)
    button.focus()
    page.keyboard.press("Enter")
    expect(titles).to_have_text(
        ["Chiffres clés", "Fiche\u00a0: le site", "Le mot de la directrice"]
    )
    fits(page)
