"""A viewer reads the press file but is offered nothing that would change it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def contact(org: Organisation) -> Contact:
    """One journalist in Acme's press file."""
    data = {
        "first_name": "Hélène",
        "last_name": "Lefèvre",
        "emails": ["h.lefevre@lequipe.example.fr"],
        "outlet": "L’Équipe",
    }
    return editing.save_contact(org, None, data, by=None)


def test_it_shows_a_viewer_the_press_file_without_editing_controls(
    page: Page, vera: User, contact: Contact
) -> None:
    log_in(page, "vera@example.org")
    page.locator("nav.sidenav").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text("1 contact")
    expect(results.locator("tbody tr")).to_contain_text("Hélène Lefèvre")

    # She can still search and filter.
    expect(page.get_by_label("Search names, outlets, beats, notes and emails")).to_be_editable()
    # The press file's tabs she may open, and none of the others.
    expect(page.locator("nav.subnav").get_by_role("link")).to_have_text(
        ["Contacts", "Outlets", "Lists and segments", "Tags", "Privacy (GDPR)"]
    )
    main = page.locator("main")
    expect(main.get_by_role("link", name="Add a contact")).to_have_count(0)
    expect(main.get_by_role("link", name="Import")).to_have_count(0)
    # No ticking rows for bulk actions, no tagging, no saving segments; the filters' checkboxes
    # are hers to use.
    expect(results.get_by_role("checkbox")).to_have_count(0)
    expect(main.locator("#filters").get_by_role("checkbox").first).to_be_enabled()
    expect(main.locator("form#bulk")).to_have_count(0)
    expect(main.get_by_role("button", name="Tag")).to_have_count(0)

    results.get_by_role("link", name="Hélène Lefèvre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hélène Lefèvre")
    expect(main).to_contain_text("h.lefevre@lequipe.example.fr")
    expect(main.get_by_role("link", name="Edit")).to_have_count(0)
    expect(main.get_by_role("button", name="Delete")).to_have_count(0)
    expect(main.locator("form[method=post]")).to_have_count(0)


@pytest.mark.parametrize("path", ["import/", "duplicates/", "new/"])
def test_it_refuses_a_viewer_the_pages_that_change_the_press_file(
    page: Page, vera: User, path: str
) -> None:
    log_in(page, "vera@example.org")
    response = page.goto(f"/o/acme/contacts/{path}")
    assert response is not None
    assert response.status == 403
    expect(page.locator("main input[type=file]")).to_have_count(0)
