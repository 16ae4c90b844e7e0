"""A director invites a colleague, who follows the link in the mail and joins the team."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.e2e.conftest import Mailbox, PageFactory, log_in, text_body

pytestmark = pytest.mark.e2e

# Test data, not a credential; it passes every password validator.
NEWCOMER_SECRET = "tilted-orchard-47-lantern"


def test_it_invites_a_colleague_who_signs_up_from_the_mail(
    page: Page,
    new_page: PageFactory,
    live_app: LiveServer,
    smtp: Mailbox,
    org: Organisation,
    alice: User,
) -> None:
    log_in(page, "alice@example.org")
    page.locator("nav.sidenav").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()

    invite = page.locator("form[action$='/team/invite/']")
    invite.get_by_label("Email").fill("Chloe.Martin@example.org")
    invite.get_by_label("Role").select_option(label="Press officer")
    invite.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation sent to Chloe.Martin@example.org")
    pending = page.get_by_role("row").filter(has_text="chloe.martin@example.org")
    expect(pending).to_contain_text("Press officer")

    mail = smtp.wait_for()
    assert mail["To"] == "chloe.martin@example.org"
    # The mail is in the organisation's language (Acme works in French), whatever Alice reads.
    with translation.override(org.language):
        subject = gettext("You are invited to join %(org)s on Pressdesk") % {"org": org.name}
        invites = gettext(
            "%(inviter)s invites you to join %(org)s's press office on Pressdesk, as %(role)s."
        ) % {"inviter": "Alice Director", "org": org.name, "role": Role.PRESS_OFFICER.label}
    # Django folds a long encoded subject right after "Subject:"; Python's parser keeps the fold
    # as a leading space, which mail clients drop. Compare what a reader sees.
    assert " ".join(str(mail["Subject"]).split()) == subject
    body = text_body(mail)
    assert invites in body
    found = re.search(r"(http\S+/accounts/invitation/[^/\s]+/)", body)
    assert found, body
    link = found.group(1)
    assert link.startswith(live_app.url + "/")

    # Chloé opens the link in her own browser.
    chloe = new_page()
    chloe.goto(link)
    expect(chloe.get_by_role("heading", level=1)).to_have_text("Join Acme Énergie")
    expect(chloe.locator("main")).to_contain_text("You are invited as Press officer")
    chloe.get_by_label("Full name").fill("Chloé Martin")
    chloe.get_by_label("Password").fill(NEWCOMER_SECRET)
    chloe.get_by_role("button", name="Create my account").click()

    expect(chloe).to_have_url(re.compile(r"/o/acme/$"))
    expect(chloe.locator(".messages")).to_have_text("Welcome to Acme Énergie.")
    expect(chloe.locator("main")).to_contain_text("You are signed in as Press officer.")
    expect(chloe.locator(".user-menu summary")).to_have_text("Chloé")

    # She sees herself on the team; a press officer sees roles but cannot change them.
    chloe.locator("nav.sidenav").get_by_role("link", name="Team").click()
    row = chloe.get_by_role("row").filter(has_text="chloe.martin@example.org")
    expect(row).to_contain_text("Chloé Martin")
    expect(row).to_contain_text("Press officer")
    expect(chloe.locator("form[action$='/team/invite/']")).to_have_count(0)

    # The director sees her as a press officer too, and the invitation is no longer pending.
    page.reload()
    row = page.get_by_role("row").filter(has_text="chloe.martin@example.org")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Chloé Martin")
    expect(row.get_by_role("combobox")).to_have_value("press_officer")
    expect(page.get_by_role("heading", name="Pending invitations")).to_have_count(0)

    # The link works once.
    again = new_page()
    response = again.goto(link)
    assert response is not None
    assert response.status == 410
