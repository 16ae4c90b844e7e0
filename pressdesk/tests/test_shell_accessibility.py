"""The shell's pages are usable with a keyboard and a screen reader, and obey the strict CSP."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import make_invitation

PACKAGE = Path(settings.BASE_DIR) / "pressdesk"


class Page(HTMLParser):
    """What these checks need to know about a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_scripts = 0
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        self._in_script = tag == "script" and "src" not in values

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for t, attrs in self.tags if t == tag]


def check(html: str) -> None:
    """Fail with the list of problems found in the page."""
    page = Page(html)
    problems = []
    if not page.all("html")[0].get("lang"):
        problems.append("<html> has no lang")
    if not any(a.get("href") == "#main" for a in page.all("a")):
        problems.append("no skip link")
    ids = Counter(attrs["id"] for _tag, attrs in page.tags if attrs.get("id"))
    problems += [f"id {i} used {n} times" for i, n in ids.items() if n > 1]
    if "main" not in ids:
        problems.append("no element with id=main")
    labelled = {a.get("for") for a in page.all("label")}
    for tag, attrs in page.tags:
        needs_label = tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type") not in ("hidden", "submit", "button")
        )
        if needs_label and attrs.get("id") not in labelled and not attrs.get("aria-label"):
            problems.append(f"<{tag} name={attrs.get('name')}> has no label")
        if "style" in attrs:
            problems.append(f"<{tag}> has a style attribute, which the CSP blocks")
        if tag == "img" and "alt" not in attrs:
            problems.append(f"<img src={attrs.get('src')}> has no alt")
        if tag == "button" and not attrs.get("type"):
            problems.append("a <button> without type")
    if page.all("style"):
        problems.append("an inline <style>, which the CSP blocks")
    if page.inline_scripts:
        problems.append("an inline <script>, which the CSP blocks")
    if len(page.all("h1")) != 1:
        problems.append(f"{len(page.all('h1'))} <h1> elements")
    assert not problems, problems


@pytest.fixture
def busy_acme(org: Organisation, alice: User, bob: User, charlie: User) -> Organisation:
    """Acme with a pending invitation, and Alice also in another organisation."""
    make_invitation(org)
    Membership.objects.create(
        user=alice, org=Organisation.objects.get(slug="other"), role=Role.VIEWER
    )
    return org


MEMBER_PAGES = [
    "/",
    "/o/acme/",
    "/o/acme/team/",
    "/o/acme/audit/",
    "/o/acme/settings/",
    "/o/acme/search/?q=x",
    "/o/acme/coming/briefings/",
    "/accounts/profile/",
    "/accounts/two-factor/",
]


@pytest.mark.parametrize("url", MEMBER_PAGES)
def test_member_pages(as_alice: Client, busy_acme: Organisation, url: str) -> None:
    r = as_alice.get(url)
    assert r.status_code == 200
    check(r.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_public_pages(client: Client, url: str) -> None:
    check(client.get(url).content.decode())


def test_the_invitation_page(client: Client, org: Organisation) -> None:
    _, raw = make_invitation(org)
    check(client.get(f"/accounts/invitation/{raw}/").content.decode())


def test_a_form_with_errors(client: Client, db: None) -> None:
    html = client.post("/accounts/login/", {"email": "nope", "password": ""}).content.decode()
    check(html)
    # Each error is tied to its field, for screen readers.
    assert re.search(r'aria-describedby="id_email_error"', html)
    assert 'aria-invalid="true"' in html


def test_the_current_page_is_marked_in_the_navigation(as_alice: Client) -> None:
    for url in ("/o/acme/", "/o/acme/team/", "/o/acme/audit/", "/o/acme/settings/"):
        html = as_alice.get(url).content.decode()
        assert re.search(rf'<a href="{url}" aria-current="page"', html), url


def test_pages_carry_the_strict_csp(as_alice: Client) -> None:
    csp = as_alice.get("/o/acme/")["Content-Security-Policy"]
    assert "style-src 'self'" in csp
    assert "script-src 'self'" in csp


def test_no_template_uses_inline_styles() -> None:
    # Emails are read in mail clients, where only inline styles work; every page is under CSP.
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("templates/**/*.html")
        if "emails" not in path.parts and re.search(r"\sstyle=|<style", path.read_text("utf-8"))
    ]
    assert not offenders


def test_the_stylesheet_has_visible_focus() -> None:
    css = (PACKAGE / "static/pressdesk/pressdesk.css").read_text("utf-8")
    assert ":focus-visible" in css
    assert not re.search(r"outline:\s*(none|0)[^}]*}", css.split("main:focus")[0])
