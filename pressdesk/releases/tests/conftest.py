from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import User
from pressdesk.conftest import login


@pytest.fixture
def as_sam(client: Client, sam: User) -> Client:
    return login(client, sam)


@pytest.fixture(autouse=True)
def _fresh_newsroom_cache() -> None:
    """Each test starts with no kept newsroom answer (ids and frozen clocks repeat across tests)."""
    from django.core.cache import cache

    cache.clear()
