"""A director finds two records of the same journalist and merges them into one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

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
            "job_title": "Chef d’agence adjoint",
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
    # No browser confirm(): the merge page itself shows what will happen.
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
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

    # Side by side: a choice where they differ, every address ticked.
    pair.get_by_role("link", name="Compare and merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Merge Jean-Luc Martin and Jean Luc Martin"
    )
    expect(page.get_by_role("radio", name="Jean-Luc", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name="Chef d’agence", exact=True)).to_be_checked()
    live = page.locator("#merge-live")
    expect(live).to_contain_text("jeanluc.martin@gmail.example.com")
    expect(live).not_to_contain_text("Chef d’agence adjoint")
    page.get_by_role("radio", name="Chef d’agence adjoint").check()
    # With JavaScript, the result shows below the choices as they change.
    expect(live).to_contain_text("Chef d’agence adjoint")
    personal = page.get_by_role("checkbox", name="jeanluc.martin@gmail.example.com")
    expect(personal).to_be_checked()
    expect(page.get_by_role("checkbox", name="jl.martin@ouest-france.example.fr")).to_be_checked()

    # The preview shows the result; nothing changed yet.
    page.get_by_role("button", name="Preview the merged contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview of the merged contact")
    result = page.locator("main dl.merge-result")
    expect(result).to_contain_text("Chef d’agence adjoint")
    expect(result).to_contain_text("jeanluc.martin@gmail.example.com")

    # Back to the choices, which are kept: drop the personal address this time.
    page.get_by_role("button", name="Change my choices").click()
    expect(page.get_by_role("radio", name="Chef d’agence adjoint")).to_be_checked()
    personal.uncheck()
    page.get_by_role("button", name="Preview the merged contact").click()
    expect(page.locator("main")).to_contain_text("Not kept: jeanluc.martin@gmail.example.com")
    expect(result).not_to_contain_text("jeanluc.martin@gmail.example.com")

    page.get_by_role("button", name="Merge into one contact").click()
    expect(page.locator(".messages")).to_have_text("Merged into Jean-Luc Martin.")
    expect(page.locator("main tbody")).to_contain_text("No possible duplicates waiting.")
    assert dialogs == []

    page.locator("nav.subnav").get_by_role("link", name="Contacts").click()
    expect(results.get_by_role("status")).to_have_text("2 contacts")
    martins = results.locator("tbody tr").filter(has_text="Martin")
    expect(martins).to_have_count(1)
    expect(martins.locator("th a")).to_have_text("Jean-Luc Martin")

    martins.get_by_role("link", name="Jean-Luc Martin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jean-Luc Martin")
    details = page.locator("main dl.facts").first
    expect(details.get_by_role("link", name="jl.martin@ouest-france.example.fr")).to_be_visible()
    expect(details).not_to_contain_text("jeanluc.martin@gmail.example.com")
    expect(page.locator("main")).to_contain_text("Chef d’agence adjoint")
    history = page.locator("section[aria-labelledby=history-title]")
    expect(history).to_contain_text("Merged with Jean Luc Martin — Entered by hand")
    expect(history).not_to_contain_text("#")
    expect(history).not_to_contain_text("((")


def test_it_merges_without_javascript(
    browser: Browser, live_app: LiveServer, alice: User, twins: tuple[Contact, Contact]
) -> None:
    alice.language = "fr"
    alice.save()
    context = browser.new_context(base_url=live_app.url, locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, "alice@example.org")
        page.goto("/o/acme/contacts/duplicates/")
        page.locator("main form[action$='/scan/'] button").click()
        page.locator("main tbody tr a.button").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Fusionner Jean-Luc Martin et Jean Luc Martin"
        )
        page.get_by_role("radio", name="Jean Luc", exact=True).check()
        page.get_by_role("button", name="Voir le contact fusionné").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu du contact fusionné")
        page.get_by_role("button", name="Fusionner en un seul contact").click()
        expect(page.locator(".messages")).to_contain_text("Jean Luc Martin")
        assert Contact.objects.filter(last_name="Martin").count() == 1
        assert Contact.objects.get(last_name="Martin").first_name == "Jean Luc"
    finally:
        context.close()
