"""A press officer tags a contact from the edit form's picker, then tidies the tags up."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def marie(org: Organisation) -> Contact:
    sample.contact(org, "Paul", "Martin", tags=["Presse nationale", "Salon Energaia"])
    return sample.contact(org, "Marie", "Dupont", emails=["marie@example.fr"], tags=["VIP"])


def test_the_picker_suggests_tags_after_a_comma(page: Page, bob: User, marie: Contact) -> None:
    log_in(page, "bob@example.org")
    page.goto(f"/o/acme/contacts/{marie.pk}/edit/")
    tags = page.get_by_label("Tags")
    expect(tags).to_have_value("VIP")
    tags.fill("VIP, sal")
    options = page.locator("#tag-names option")
    # The suggestions complete the tag being typed, keeping those already chosen.
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "VIP, Salon Energaia")
    tags.fill("VIP, Salon Energaia, nouvelle étiquette")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Marie Dupont")).to_be_visible()
    assert sorted(t.name for t in marie.tags.all()) == [
        "Salon Energaia",
        "VIP",
        "nouvelle étiquette",
    ]


def test_tags_are_renamed_and_merged_from_their_page(page: Page, bob: User, marie: Contact) -> None:
    log_in(page, "bob@example.org")
    page.goto("/o/acme/contacts/tags/")
    page.get_by_label("New name for VIP").fill("Prioritaires")
    page.get_by_label("New name for VIP").press("Enter")
    expect(page.get_by_role("link", name="Prioritaires")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Tag to merge Prioritaires into").select_option(label="Presse nationale")
    page.locator("#tag-" + str(marie.tags.get().pk)).get_by_role("button", name="Merge").click()
    expect(page.get_by_role("link", name="Prioritaires")).to_have_count(0)
    assert [t.name for t in marie.tags.all()] == ["Presse nationale"]
