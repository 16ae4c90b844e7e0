"""The public newsroom in a real browser, without JavaScript: home, release page, feed link and
subscription, at 390 px and 1280 px; with PRESSDESK_SCREENSHOTS=1 the French newsroom is saved
to docs/screenshots/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from pressdesk.conftest import PASSWORD
from pressdesk.e2e.conftest import Mailbox, french, text_body
from pressdesk.e2e.screenshots import ORG_SLUG, populate_french_office
from pressdesk.releases.models import PreviewLink, Subscriber

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 860}
WIDTHS = "[document.scrollingElement.scrollWidth, window.innerWidth]"
HOME = f"/newsroom/{ORG_SLUG}/"


@pytest.fixture
def reader(browser: Browser, live_app: LiveServer) -> Iterator[Page]:
    """A journalist's browser with JavaScript turned off, in French."""
    context = browser.new_context(
        base_url=live_app.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport=LAPTOP,
        java_script_enabled=False,
    )
    problems: list[str] = []
    page = context.new_page()
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, problems


def _fits(page: Page, name: str) -> None:
    shots = os.environ.get("PRESSDESK_SCREENSHOTS") == "1"
    for suffix, viewport in (("", LAPTOP), ("-phone", PHONE)):
        page.set_viewport_size(viewport)
        width, window = page.evaluate(WIDTHS)
        assert width <= window, f"{page.url} is {width} px wide at {window} px"
        if shots:
            DOCS.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=DOCS / f"{name}{suffix}.png", full_page=suffix == "", animations="disabled"
            )
    page.set_viewport_size(LAPTOP)


def test_a_journalist_reads_the_newsroom_and_its_feed(reader: Page) -> None:
    populate_french_office(PASSWORD)
    response = reader.goto(HOME)
    assert response is not None and response.status == 200
    expect(reader.locator("html")).to_have_attribute("lang", "fr")
    expect(reader.get_by_role("heading", level=1)).to_have_text(french("Press releases"))
    expect(reader.get_by_role("main")).to_be_visible()
    expect(reader.get_by_role("banner")).to_be_visible()
    expect(reader.get_by_role("contentinfo")).to_be_visible()
    # The demo's embargoed release is nowhere on the public site.
    embargoed = PreviewLink.objects.get(org__slug=ORG_SLUG).release
    expect(reader.locator("body")).not_to_contain_text(embargoed.title)
    _fits(reader, "newsroom")

    # Searching works without JavaScript, accents aside.
    reader.get_by_label(french("Search the releases")).fill("MONTLOUIS solaire")
    reader.get_by_role("button", name=french("Search")).click()
    expect(reader.locator(".nr-item")).to_have_count(1)

    reader.locator(".nr-item h2 a").first.click()
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Montlouis")
    figure = reader.locator(".nr-figure img")
    expect(figure).to_have_attribute("alt", re.compile(r"\w+"))
    # The image is lazy: bring it into view, then wait until it has loaded (a broken one never
    # gets a width, and the wait fails).
    # Headless Chromium may not start a lazy image scrolled into view while the page is still
    # laying out (seen under load): the image is then asked for eagerly, and must still load.
    figure.scroll_into_view_if_needed()
    loaded = figure.evaluate(
        """i => (i.complete && i.naturalWidth > 0) || new Promise(done => {
            i.addEventListener('load', () => done(i.naturalWidth > 0));
            i.addEventListener('error', () => done(false));
            i.loading = 'eager';
        })"""
    )
    assert loaded, "the release's image did not load"
    expect(reader.locator(".nr-figure figcaption")).to_contain_text("©")
    assert reader.locator('meta[property="og:title"]').count() == 1
    assert reader.locator('script[type="application/ld+json"]').count() == 1
    _fits(reader, "newsroom-release")

    feed_link = reader.locator('link[rel="alternate"][type="application/rss+xml"]')
    href = feed_link.get_attribute("href")
    assert href
    feed = reader.request.get(href)
    parsed = feedparser.parse(feed.body())
    assert not parsed.bozo
    titles = [e.title for e in parsed.entries]
    assert any("Montlouis" in t for t in titles)
    reader.goto(f"/newsroom/{ORG_SLUG}/contacts/")
    _fits(reader, "newsroom-contacts")


def test_a_journalist_subscribes_with_double_opt_in(reader: Page, smtp: Mailbox) -> None:
    populate_french_office(PASSWORD)
    reader.goto(f"/newsroom/{ORG_SLUG}/subscribe/")
    _fits(reader, "newsroom-subscribe")
    reader.get_by_label(french("Your e-mail address")).fill("lea.martin@exemple-presse.fr")
    reader.get_by_role("button", name=french("Subscribe")).click()
    expect(reader.get_by_role("status")).to_be_visible()
    message = smtp.wait_for(1)
    assert message["To"] == "lea.martin@exemple-presse.fr"
    link = re.search(r"https?://\S+/subscribe/\S+/", text_body(message))
    assert link
    reader.goto(link.group(0))
    reader.get_by_role("button", name=french("Confirm")).click()
    expect(reader.get_by_role("status")).to_be_visible()
    subscriber = Subscriber.objects.get(email="lea.martin@exemple-presse.fr")
    assert subscriber.confirmed_at is not None and subscriber.contact is not None


def test_the_embargo_lifts_and_the_release_reaches_the_page_and_the_feed(reader: Page) -> None:
    # The demo's release scheduled under embargo: absent, then, one second past its instant
    # (the server's clock moved with time-machine), on the list, its page and the feed.
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from pressdesk.releases.models import Release, ReleaseState

    office = populate_french_office(PASSWORD)
    release = (
        Release.objects.for_org(office.org)
        .filter(state=ReleaseState.SCHEDULED, visible_from__gt=timezone.now())
        .order_by("visible_from")
        .first()
    )
    assert release is not None and release.visible_from is not None
    title = release.current_version.title if release.current_version else release.title
    reader.goto(HOME)
    expect(reader.locator("body")).not_to_contain_text(title)
    assert reader.request.get(f"{HOME}{release.slug}/").status == 404
    with time_machine.travel(release.visible_from + timedelta(seconds=1), tick=True):
        reader.goto(HOME)
        reader.locator(f'.nr-item a[href$="/{release.slug}/"]').click()
        heading = reader.get_by_role("heading", level=1).inner_text()
        assert " ".join(heading.split()) == " ".join(title.split())
        parsed = feedparser.parse(reader.request.get(f"{HOME}rss.xml").body())
        assert not parsed.bozo and parsed.entries[0].title == title
