"""A release mailing in the browser, in French: composed, checked (who is left out and why), tried
on oneself, sent to a real SMTP server on loopback by the real worker, followed on the progress
page until it reads "sent", then a bounce and a reply recorded by the inbound reader appear on
the results page. Every page fits 390 px and 1280 px; with PRESSDESK_SCREENSHOTS=1 they are
saved to docs/screenshots/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, ViewportSize, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import PageFactory, french, log_in
from pressdesk.mailings import inbound
from pressdesk.mailings import transport as transports
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.testing import Sink, smtp_sink
from pressdesk.mailings.tests import pages_sample
from pressdesk.releases.tests import sample as releases

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDTHS = "[document.scrollingElement.scrollWidth, window.innerWidth]"
TITLE = "Le parc solaire de Montlouis entre en service"


@pytest.fixture
def sink(settings: Any, live_app: Any) -> Iterator[Sink]:
    """The engine's SMTP sink on loopback, as the installation's EMAIL_URL."""
    with smtp_sink() as running:
        settings.EMAIL_URL = running.url
        settings.EMAIL_TIMEOUT = 5
        transports.close_all()
        try:
            yield running
        finally:
            transports.close_all()


def fits(page: Page, name: str) -> None:
    """No horizontal overflow at 1280 px nor at 390 px; saved as screenshots when asked."""
    shots = os.environ.get("PRESSDESK_SCREENSHOTS") == "1"
    for suffix, viewport in (("", LAPTOP), ("-phone", PHONE)):
        page.set_viewport_size(viewport)
        width, window = page.evaluate(WIDTHS)
        assert width <= window, f"{page.url} is {width} px wide at {window} px"
        if shots:
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=DOCS / f"{name}{suffix}.png",
                full_page=suffix == "",
                animations="disabled",
                caret="hide",
            )
    page.set_viewport_size(LAPTOP)


def run_worker() -> None:
    """The real worker, until nothing is left to do (it sends the mailing's batches)."""
    call_command("worker", "--until-idle", stdout=StringIO())


def bounce_for(row: Recipient) -> bytes:
    """A delivery status notification (RFC 3464) saying this row's address does not exist."""
    return (
        "From: MAILER-DAEMON@mx.ouest.example\r\n"
        "To: presse@acme.example\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Mon, 02 Nov 2026 09:00:00 +0100\r\n"
        "Message-ID: <bounce-e2e@mx.ouest.example>\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"\r\n\r\n'
        "--BOUND\r\nContent-Type: text/plain\r\n\r\n"
        "Your message could not be delivered to one or more recipients.\r\n"
        "--BOUND\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.ouest.example\r\n\r\n"
        f"Final-Recipient: rfc822; {row.address}\r\n"
        "Action: failed\r\n"
        "Status: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{row.address}>: Recipient address rejected: "
        "User unknown\r\n\r\n"
        "--BOUND\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {row.message_id}\r\n"
        f"To: {row.address}\r\n"
        f"Subject: {TITLE}\r\n\r\n"
        "--BOUND--\r\n"
    ).encode()


def reply_from(row: Recipient) -> bytes:
    """A journalist's reply, threaded to the message they received."""
    return (
        f"From: {row.name} <{row.address}>\r\n"
        "To: presse@acme.example\r\n"
        f"Subject: Re: {TITLE}\r\n"
        "Date: Mon, 02 Nov 2026 10:00:00 +0100\r\n"
        "Message-ID: <reply-e2e@centre.example>\r\n"
        f"In-Reply-To: {row.message_id}\r\n"
        f"References: {row.message_id}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Bonjour, je viendrai à la visite du 14 mars. Paul\r\n"
    ).encode()


def french_in(context: str, text: str) -> str:
    """The French catalogue's words for this text in this context."""
    with translation.override("fr"):
        return translation.pgettext(context, text)


def test_compose_check_send_follow_and_see_a_bounce_and_a_reply(
    new_page: PageFactory, org: Organisation, alice: User, bob: User, sink: Sink
) -> None:
    bob.language = "fr"
    bob.save()
    release = releases.approved(org, bob, alice, title=TITLE)
    pages_sample.press_list(org)
    page = new_page("fr-FR")
    log_in(page, bob.email)

    # Compose: the approved release, whole in the mail, to the regional press.
    page.goto(f"/o/{org.slug}/mailings/")
    expect(page.get_by_role("heading", level=1)).to_have_text(french("Mailings"))
    page.get_by_role("link", name=french("Write the first mailing")).click()
    page.locator("input[name=kind][value=release]").check()
    page.locator("#id_release").select_option(label=TITLE)
    page.locator("input[name=lists]").first.check()
    page.get_by_role("button", name=french("Save the draft")).click()
    page.wait_for_url("**/edit/")
    mailing = Mailing.objects.for_org(org).get()
    assert mailing.release == release and mailing.subject == TITLE

    # A test to myself, through the same SMTP server.
    page.get_by_role("button", name=french("Send me a test")).click()
    expect(page.locator(".messages")).to_contain_text(bob.email)
    assert sink.recipients() == [bob.email]
    assert "[TEST]" in sink.messages[0].decode()
    fits(page, "mailing-compose")

    # The mailings list shows the draft by name, its state in words.
    page.goto(f"/o/{org.slug}/mailings/")
    row = page.locator(".mailing-table tbody tr").filter(has_text=TITLE)
    expect(row.locator(".mailing-state")).to_have_text(french_in("mailing state", "Draft"))
    row.get_by_role("link", name=TITLE).click()

    # Check: two people will receive it; the third objected, and is named under her reason.
    page.wait_for_url(f"**/mailings/{mailing.pk}/check/")
    expect(page.locator(".big-figure strong")).to_have_text("2")
    reason = page.locator(".exclusions details").filter(has_text=french("On the opt-out list"))
    expect(reason.locator(".exclusion-names")).to_be_hidden()
    reason.locator("summary").click()
    expect(reason.locator(".exclusion-names")).to_contain_text("Zoé Refus")
    fits(page, "mailing-check")

    # Send now, and follow it: the real worker sends through the loopback SMTP server, and the
    # polled progress part turns to "sent" by itself.
    page.locator(".send-now button").click()
    page.wait_for_url(f"**/mailings/{mailing.pk}/progress/")
    expect(page.locator("#mailing-progress")).to_have_attribute("hx-trigger", "every 2s")
    run_worker()
    progress = page.locator("#mailing-progress")
    expect(progress.locator(".mailing-state")).to_have_text(french_in("mailing state", "Sent"))
    expect(progress.locator(".count-sent")).to_have_text("2")
    # Once sent, the page reloads itself whole and no longer polls.
    expect(page.locator(".mailing-head .mailing-state")).to_have_text(
        french_in("mailing state", "Sent")
    )
    expect(progress).not_to_have_attribute("hx-trigger", "every 2s")
    assert sorted(sink.recipients()[1:]) == ["marie@ouest.example", "paul@centre.example"]
    mailing.refresh_from_db()
    assert mailing.state == MailingState.SENT
    fits(page, "mailing-progress")

    # What comes back: Marie's address is dead, Paul replies.
    rows = {r.address: r for r in Recipient.objects.for_org(org).filter(mailing=mailing)}
    assert inbound.record_incoming(org, bounce_for(rows["marie@ouest.example"])) is not None
    assert inbound.record_incoming(org, reply_from(rows["paul@centre.example"])) is not None

    page.get_by_role("link", name=french("See each recipient’s result")).click()
    page.wait_for_url(f"**/mailings/{mailing.pk}/results/")
    tabs = page.locator(".mailing-tabs")
    tabs.get_by_role("link", name=french_in("recipient result", "Hard bounce")).click()
    table = page.locator(".recipient-table tbody")
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text("Marie Dupont")
    expect(table).to_contain_text("5.1.1")
    tabs.get_by_role("link", name=french_in("recipient result", "Replied")).click()
    expect(table.locator("tr")).to_have_count(1)
    expect(table).to_contain_text("Paul Martin")
    tabs.get_by_role("link", name=french("Everyone")).click()
    expect(table.locator("tr")).to_have_count(2)
    fits(page, "mailing-results")

    page.goto(f"/o/{org.slug}/mailings/")
    expect(row.locator(".mailing-state")).to_have_text(french_in("mailing state", "Sent"))
    fits(page, "mailings")
    assert Mailing.objects.for_org(org).count() == 1
