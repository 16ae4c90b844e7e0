"""The end-to-end harness: headless Chromium through Playwright, the app on a live server, and a
real SMTP server on loopback that catches the mail the app sends.

Every test gets its own browser context (cookies, storage, locale), so tests never see each
other's sessions. Under pytest-xdist each worker process has its own browser, live server, test
database and SMTP port, so `pytest -n 2` needs nothing special.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Response as PlaywrightResponse
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from pressdesk.conftest import PASSWORD

# Playwright's sync API drives its own asyncio event loop from the test's thread, and that loop
# stays registered as "running" between calls. Django sees it and refuses ORM calls with "You cannot
# call this from an async context", although our tests are plain blocking code that never shares
# a connection with a coroutine. The guard is lifted for the whole process rather than per test
# because the database is also flushed and torn down while the session's browser is still open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# The Debian package's Chromium: the suite never downloads a browser. Override for other systems.
CHROMIUM = os.environ.get("PRESSDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 860}
# Generous for a loaded CI machine; a passing step takes milliseconds, so this only costs time
# when something is really broken.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

PageFactory = Callable[..., Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test process; tests get fresh contexts from it."""
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: `apt-get install chromium` or set PRESSDESK_CHROMIUM"
        # CI installs Chromium (.ci/run): there a missing browser is a failure, never a quiet
        # skip. On a developer's machine without it, the browser tests are skipped and say why.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Hash passwords cheaply: PBKDF2's deliberate slowness costs ~0.3 s per user created and per
    login, which is most of an e2e test's time and tests nothing the browser can see."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browser_locale() -> str:
    """The browser's locale, hence its Accept-Language; parametrize `browser_locale` to change."""
    return "en-GB"


class _PageProblems:
    """JavaScript errors, Content-Security-Policy refusals and missing assets seen by a page.

    They fail the test: a page that "works" while its script throws or its stylesheet is refused
    is broken for the user. Error statuses of the document itself (a 403 a test asks for) are
    expected and are checked by the tests, so only subresources count here.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        # Chromium also logs every non-2xx response as "Failed to load resource"; those are
        # judged by `on_response`, which knows whether it was the page or an asset.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.seen.append(f"console: {message.text}")

    def on_page_error(self, error: PlaywrightError) -> None:
        self.seen.append(f"uncaught: {error}")

    def on_response(self, response: PlaywrightResponse) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.seen.append(f"{response.status} for {response.url}")

    def watch(self, page: Page) -> None:
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)
        page.on("response", self.on_response)


@pytest.fixture
def new_page(browser: Browser, live_app: LiveServer) -> Iterator[PageFactory]:
    """Open a page in a fresh browser context (its own cookies), e.g. for a second person.

    `new_page(locale="fr-FR")`; relative URLs in `page.goto` are resolved against the live server.
    """
    contexts: list[BrowserContext] = []
    problems = _PageProblems()

    def make(locale: str = "en-GB") -> Page:
        context = browser.new_context(
            base_url=live_app.url,
            locale=locale,
            timezone_id="Europe/Paris",
            viewport=VIEWPORT,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems.seen, "the browser saw problems:\n" + "\n".join(problems.seen)


@pytest.fixture
def page(new_page: PageFactory, browser_locale: str) -> Page:
    """A page in a fresh browser context, at 1280×860, in `browser_locale`."""
    return new_page(locale=browser_locale)


def french(text: str) -> str:
    """What the French catalogue says for this interface text (the English text until translated),
    so that tests follow the translators instead of copying their wording."""
    with translation.override("fr"):
        return translation.gettext(text)


def log_in(page: Page, email_address: str, password: str = PASSWORD) -> None:
    """Log in through the form, as a person would, and wait for the page after it."""
    page.goto("/accounts/login/")
    # Field ids rather than labels: the form may be in either language.
    page.locator("#id_email").fill(email_address)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page: Page) -> None:
    """Log out through the user menu in the top bar."""
    page.locator(".user-menu summary").click()
    page.locator(".user-menu form[action$='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/$"))


def csrf_token(page: Page) -> str:
    """The CSRF token of the page's forms, for requests a test sends itself."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert token, "the page has no CSRF token"
    return token


class Mailbox:
    """What the SMTP server received, in order, with a way to wait for a message to arrive.

    aiosmtpd calls `handle_DATA` on its own thread; a condition variable hands each message over
    to the test, so waiting is deterministic and never a sleep.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """aiosmtpd's hook for a complete message (the name is aiosmtpd's)."""
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(cast(EmailMessage, message))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> EmailMessage:
        """The `count`-th message, once it has arrived; fails after `timeout` seconds."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(
                    f"expected {count} message(s) within {timeout} s, got {len(self.messages)}"
                )
            return self.messages[count - 1]


def text_body(message: EmailMessage) -> str:
    """The plain-text part of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the message has no text/plain part"
    return cast(EmailMessage, part).get_content()


class _LoopbackController(Controller):
    """aiosmtpd's threaded controller on a port the OS chooses.

    Binding port 0 avoids two xdist workers racing for a "free" port, but the controller's
    start-up self-check connects to `self.port`, so the real port is read from the bound socket
    first (the server is listening by the time the check runs).
    """

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def smtp_server(settings: Settings) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 for the block; the app sends its mail there over SMTP."""
    mailbox = Mailbox()
    controller = _LoopbackController(mailbox, hostname="127.0.0.1", port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings: Settings, live_app: LiveServer) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1; the app sends its mail there over SMTP.

    Links in the mail point at the live server, so a test can open them in the browser.
    """
    with smtp_server(settings) as mailbox:
        settings.SITE_ROOT = live_app.url
        yield mailbox
