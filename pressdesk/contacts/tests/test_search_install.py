"""The search index survives what Django does to tables on migrate."""

from __future__ import annotations

import pytest
from django.db import connection

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import search_index, services
from pressdesk.contacts.tests import sample


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps its index by triggers")
def test_it_puts_back_triggers_a_table_rebuild_dropped(org: Organisation) -> None:
    sample.contact(org, "Marie", "Dupont")
    with connection.cursor() as cursor:
        # What Django's SQLite schema editor does to alter a table: the triggers go with it.
        for suffix in ("ai", "ad", "au"):
            cursor.execute(f'DROP TRIGGER "contacts_contact_fts_{suffix}"')
    sample.contact(org, "Paul", "Martin")  # written while the triggers were missing
    search_index.ensure_installed()
    assert [str(c) for c in services.quick_search(org, "paul")[0]] == ["Paul Martin"]
    sample.contact(org, "Zoé", "Roux")
    assert [str(c) for c in services.quick_search(org, "zoe")[0]] == ["Zoé Roux"]


def test_it_is_installed_after_migrate(db: None) -> None:
    from pressdesk.lib import search

    with connection.cursor() as cursor:
        assert search.backend().is_installed(cursor, search_index.CONTACTS)
