"""Fixtures for the accounts tests, on top of pressdesk/conftest.py's people and organisations."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def english(client: Any) -> Any:
    """The test client, asking for English pages like an English-speaking browser."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def committing_db(flushable_db: None) -> None:
    """A database whose writes are committed, so that several threads see them."""
