"""Shared fixtures. Like healthchecks' hc/test.py: in organisation "acme", alice is a director,
bob a press officer, sam a spokesperson and vera a viewer; charlie is a director of "other"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from pressdesk.accounts import audit_triggers
from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role

PASSWORD = "correct horse battery staple"


def _user(email: str, name: str) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=name, language="en")


@pytest.fixture
def org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Acme Énergie", slug="acme")


@pytest.fixture
def other_org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Other Org", slug="other")


@pytest.fixture
def alice(org: Organisation) -> User:
    user = _user("alice@example.org", "Alice Director")
    Membership.objects.create(user=user, org=org, role=Role.DIRECTOR)
    return user


@pytest.fixture
def bob(org: Organisation) -> User:
    user = _user("bob@example.org", "Bob Officer")
    Membership.objects.create(user=user, org=org, role=Role.PRESS_OFFICER)
    return user


@pytest.fixture
def sam(org: Organisation) -> User:
    user = _user("sam@example.org", "Sam Spokesperson")
    Membership.objects.create(user=user, org=org, role=Role.SPOKESPERSON)
    return user


@pytest.fixture
def vera(org: Organisation) -> User:
    user = _user("vera@example.org", "Vera Viewer")
    Membership.objects.create(user=user, org=org, role=Role.VIEWER)
    return user


@pytest.fixture
def charlie(other_org: Organisation) -> User:
    user = _user("charlie@example.org", "Charlie Outsider")
    Membership.objects.create(user=user, org=other_org, role=Role.DIRECTOR)
    return user


def login(client: Client, user: User) -> Client:
    """Log a client in as this user, skipping the login form."""
    client.force_login(user, backend="pressdesk.accounts.backends.EmailBackend")
    return client


@pytest.fixture
def as_alice(client: Client, alice: User) -> Client:
    return login(client, alice)


@pytest.fixture
def as_bob(client: Client, bob: User) -> Client:
    return login(client, bob)


@pytest.fixture
def as_vera(client: Client, vera: User) -> Client:
    return login(client, vera)


@pytest.fixture
def as_charlie(client: Client, charlie: User) -> Client:
    return login(client, charlie)


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    # A request activates its user's language in the thread and Django leaves it active after
    # the response, so a French page in one test would turn the next test's messages French.
    # Each test starts in English, the source language, and puts back what it found.
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # The real hasher is slow on purpose; tests check logic, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a transactional test's flush, put the audit log's guard back for the next tests.

    A fixture cannot do it: pytest-django may set up the transactional database before any of our
    fixtures (live_server does), so the flush would come after every fixture of ours is torn down.
    """
    yield
    # After the last test the session has already destroyed the test database: nothing to guard.
    if nextitem is not None and "flushable_db" in getattr(item, "fixturenames", ()):
        with item.config.stash[blocking_manager_key].unblock():
            audit_triggers.install(connection)


@pytest.fixture
def flushable_db(transactional_db: Any) -> Iterator[None]:
    """A transactional database the suite can empty afterwards.

    The audit log's triggers refuse DELETE and TRUNCATE, which is what Django's flush does after a
    transactional test, so the guard is lifted just for that flush and put back afterwards.
    """
    audit_triggers.install(connection)
    yield
    audit_triggers.drop(connection)


@pytest.fixture
def live_app(flushable_db: None, live_server: Any) -> Any:
    """The app served on loopback, with a database that can be emptied afterwards."""
    return live_server
