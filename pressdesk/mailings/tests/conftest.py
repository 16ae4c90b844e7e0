from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import User
from pressdesk.conftest import login


@pytest.fixture
def as_sam(client: Client, sam: User) -> Client:
    """The spokesperson: reads mailings, may not send them."""
    return login(client, sam)
