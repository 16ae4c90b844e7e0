"""No page is wider than the window, on a phone (390 px) or a laptop (1280 px).

The walk covers every URL pattern of the application that the demo's director can open with a
GET (see url_walk): a new module's pages are checked as soon as its URLs are included. A pattern
the walk cannot fill in fails the test, naming it, until someone adds an example.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize

from pressdesk.conftest import PASSWORD
from pressdesk.e2e.conftest import log_in
from pressdesk.e2e.screenshots import populate_french_office
from pressdesk.e2e.url_walk import Demo, resolve, routes

pytestmark = pytest.mark.e2e

PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1280, "height": 900}
# A GET answer that means "not a page for a director's browser" rather than a broken example.
NOT_A_PAGE = {401, 403}
WIDTHS = "[document.scrollingElement.scrollWidth, window.innerWidth]"
# Where the overflow starts: elements sticking out of the window whose parent does not, so that
# the report names the culprit ("form.toolbar", "td.actions") rather than <html>.
CULPRITS = """() => {
  const out = (e) => e.getBoundingClientRect().right > window.innerWidth + 0.5;
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + [...e.classList].map((c) => "." + c).join("");
  // Inside a box that scrolls or clips, sticking out is that box's business, not the page's.
  const contained = (e) => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((e) => out(e) && e.parentElement && !out(e.parentElement) && !contained(e))
    .slice(0, 3).map(name);
}"""


def overflow(page: Page, viewport: ViewportSize) -> str:
    """Empty if the page fits this viewport, else how wide it is and what sticks out."""
    page.set_viewport_size(viewport)
    width, window = page.evaluate(WIDTHS)
    if width <= window:
        return ""
    return f"{width} px wide at {window} px (from {', '.join(page.evaluate(CULPRITS))})"


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_it_fits_every_page_on_a_phone_and_a_laptop(page: Page) -> None:
    office = populate_french_office(PASSWORD)
    demo = Demo(org=office.org, director=office.director)
    log_in(page, office.director.email)

    problems: list[str] = []
    checked: list[str] = []
    for route in routes():
        path, reason = resolve(route, demo)
        if not path:
            problems.append(f"{route.name} ({route.route}): {reason}")
            continue
        # Ask first without rendering: downloads and POST-only URLs are not pages to measure.
        answer = page.request.get(path)
        if answer.status == 405:
            continue
        if reason:
            problems.append(f"{route.name} ({route.route}): {reason}")
            continue
        content_type = answer.headers.get("content-type", "")
        if answer.status in NOT_A_PAGE or (answer.ok and not content_type.startswith("text/html")):
            continue
        if not answer.ok:
            problems.append(f"{route.name} ({path}): answers {answer.status}")
            continue
        page.set_viewport_size(PHONE)
        page.goto(path)
        for viewport in (PHONE, LAPTOP):
            too_wide = overflow(page, viewport)
            if too_wide:
                problems.append(f"{route.name} ({path}): {too_wide}")
        checked.append(route.name)

    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
    # The walk really walked: the shell, the press file and the audit log are among the pages.
    assert {"dashboard", "contacts:list", "contacts:detail", "accounts:audit_log"} <= set(checked)
