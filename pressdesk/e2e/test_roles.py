"""What a viewer can and cannot do, seen from the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Invitation, Organisation, User
from pressdesk.e2e.conftest import csrf_token, log_in

pytestmark = pytest.mark.e2e


def test_it_hides_the_directors_controls_from_a_viewer(
    page: Page, org: Organisation, alice: User, vera: User
) -> None:
    log_in(page, "vera@example.org")
    expect(page.locator("main")).to_contain_text("You are signed in as Viewer.")
    # No links to what a viewer may not open; no recent activity (it comes from the audit log).
    secondary = page.locator("nav.sidenav .secondary")
    expect(secondary.get_by_role("link")).to_have_text(["Team"])
    expect(page.get_by_role("heading", name="Recent activity")).to_have_count(0)

    secondary.get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    # She sees who is on the team and their roles, as text.
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="alice@example.org")).to_contain_text("Director")
    expect(rows.filter(has_text="vera@example.org")).to_contain_text("Viewer")
    # None of the director's controls.
    expect(page.get_by_role("heading", name="Invite a colleague")).to_have_count(0)
    expect(page.locator("main form[action*='/team/']")).to_have_count(0)
    expect(page.locator("main select")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove")).to_have_count(0)


@pytest.mark.parametrize("path", ["/o/acme/audit/", "/o/acme/settings/"])
def test_it_refuses_a_viewer_the_directors_pages(
    page: Page, org: Organisation, vera: User, path: str
) -> None:
    log_in(page, "vera@example.org")
    response = page.goto(path)
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_be_visible()
    # Nothing of the page itself leaks into the refusal.
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Organisation settings")
    expect(page.locator("body")).not_to_contain_text("Entries can never be changed")


def test_it_refuses_an_invitation_posted_by_a_viewer(
    page: Page, org: Organisation, vera: User
) -> None:
    log_in(page, "vera@example.org")
    page.goto("/o/acme/team/")
    token = csrf_token(page)

    # The same token is good: the language switch, open to everyone, takes it.
    allowed = page.request.post(
        "/accounts/language/",
        form={"csrfmiddlewaretoken": token, "language": "en", "next": "/o/acme/team/"},
        max_redirects=0,
    )
    assert allowed.status == 302

    refused = page.request.post(
        "/o/acme/team/invite/",
        form={"csrfmiddlewaretoken": token, "email": "mallory@example.org", "role": "director"},
        max_redirects=0,
    )
    assert refused.status == 403
    assert "CSRF" not in refused.text()
    assert not Invitation.objects.filter(email="mallory@example.org").exists()
