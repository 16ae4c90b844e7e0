"""A director finds two records of the same journalist and merges them into one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact
from pressdesk.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def twins(org: Organisation) -> tuple[Contact, Contact]:
    """The same man entered twice at the same outlet, with and without the hyphen."""
    first = editing.save_contact(
        org,
        None,
        {
            "first_name": "Jean-Luc",
            "last_name": "Martin",
            "emails": ["jl.martin@ouest-france.example.fr"],
            "outlet": "Ouest-France",
            "job_title": "Chef d’agence",
        },
        by=None,
    )
    second = editing.save_contact(
        org,
        None,
        {
            "first_name": "Jean Luc",
            "last_name": "Martin",
            "emails": ["jeanluc.martin@gmail.example.com"],
            "outlet": "Ouest-France",
        },
        by=None,
    )
    # Someone else at the same outlet, who must be left alone.
    editing.save_contact(
        org,
        None,
        {"first_name": "Marie", "last_name": "Dupont", "outlet": "Ouest-France"},
        by=None,
    )
    return first, second


def test_it_merges_two_records_of_the_same_journalist(
    page: Page, alice: User, twins: tuple[Contact, Contact]
) -> None:
    log_in(page, "alice@example.org")
    page.goto("/o/acme/contacts/")
    results = page.locator("#results")
    expect(results.get_by_role("status")).to_have_text("3 contacts")
    expect(results.locator("tbody tr").filter(has_text="Martin")).to_have_count(2)

    page.locator("nav.subnav").get_by_role("link", name="Duplicates").click()
    expect(page.get_by_role("heading", name="Possible duplicates", level=1)).to_be_visible()
    expect(page.locator("main tbody")).to_contain_text("No possible duplicates waiting.")
    page.get_by_role("button", name="Find duplicates in the whole press file").click()
    expect(page.locator(".messages")).to_have_text("1 new possible duplicate found.")

    pairs = page.locator("main tbody tr")
    expect(pairs).to_have_count(1)
    pair = pairs.first
    expect(pair.locator("td").nth(0)).to_contain_text("Jean-Luc Martin")
    expect(pair.locator("td").nth(0)).to_contain_text("jl.martin@ouest-france.example.fr")
    expect(pair.locator("td").nth(1)).to_contain_text("Jean Luc Martin")
    expect(pair.locator("td").nth(1)).to_contain_text("jeanluc.martin@gmail.example.com")
    expect(pair.locator("td").nth(2)).to_contain_text("similar name at Ouest-France")
    expect(page.locator("main")).not_to_contain_text("Marie Dupont")

    # The browser asks before merging; a refusal changes nothing.
    questions: list[str] = []

    def answer(accept: bool) -> None:
        def handler(dialog: Dialog) -> None:
            questions.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        page.once("dialog", handler)

    answer(accept=False)
    pair.get_by_role("button", name="Merge").click()
    expect(pairs).to_have_count(1)
    assert questions == ["Merge these two contacts? This cannot be undone."]

    answer(accept=True)
    pair.get_by_role("button", name="Merge").click()
    expect(page.locator(".messages")).to_have_text("Merged into Jean-Luc Martin.")
    expect(page.locator("main tbody")).to_contain_text("No possible duplicates waiting.")
    assert len(questions) == 2

    page.locator("nav.subnav").get_by_role("link", name="Contacts").click()
    expect(results.get_by_role("status")).to_have_text("2 contacts")
    martins = results.locator("tbody tr").filter(has_text="Martin")
    expect(martins).to_have_count(1)
    expect(martins.locator("th a")).to_have_text("Jean-Luc Martin")

    martins.get_by_role("link", name="Jean-Luc Martin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jean-Luc Martin")
    details = page.locator("main dl.facts")
    expect(details.get_by_role("link", name="jl.martin@ouest-france.example.fr")).to_be_visible()
    expect(details.get_by_role("link", name="jeanluc.martin@gmail.example.com")).to_be_visible()
