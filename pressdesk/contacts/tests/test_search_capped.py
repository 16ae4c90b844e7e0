"""Quick search on PostgreSQL past FEW matches: bounded work, a count that says "more than"."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests import sample
from pressdesk.lib.search import postgres

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bounded path is PostgreSQL's"
)


@pytest.fixture
def pauls(org: Organisation) -> Organisation:
    for n in range(6):
        sample.contact(org, "Paul", f"Martin{n}")
    sample.contact(org, "Zoé", "Roux")
    return org


def test_it_counts_exactly_up_to_few(pauls: Organisation) -> None:
    contacts, hits = services.quick_search_hits(pauls, "paul", limit=2)
    assert (hits.count, hits.capped) == (6, False)
    assert [str(c) for c in contacts] == ["Paul Martin0", "Paul Martin1"]


def test_it_caps_the_count_and_walks_the_order_past_few(
    pauls: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "FEW", 3)
    contacts, hits = services.quick_search_hits(pauls, "paul", limit=2)
    assert (hits.count, hits.capped) == (3, True)
    # The walk of the ordered index found a page: the first ones by name, exactly.
    assert [str(c) for c in contacts] == ["Paul Martin0", "Paul Martin1"]


def test_it_pages_from_the_matches_found_when_the_walk_finds_none(
    pauls: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "FEW", 3)
    monkeypatch.setattr(postgres, "WALK", 1)
    Contact.objects.filter(org=pauls, last_name="Martin0").update(sort_name="zz")
    contacts, hits = services.quick_search_hits(pauls, "paul", limit=2)
    assert (hits.count, hits.capped) == (3, True)
    # Two of the four matches collected, sorted; every one a match.
    assert len(contacts) == 2
    assert all(c.first_name == "Paul" for c in contacts)
    assert contacts == sorted(contacts, key=lambda c: (c.sort_name, c.pk))


def test_the_cli_says_more_than(pauls: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(postgres, "FEW", 3)
    out = StringIO()
    call_command("contacts", "search", "paul", "--org", pauls.slug, "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["count"], result["count_capped"]) == (3, True)
    out = StringIO()
    with translation.override("en"):
        call_command("contacts", "search", "paul", "--org", pauls.slug, "--limit", "2", stdout=out)
    assert "2 of more than 3 (narrow the search)" in out.getvalue()
    out = StringIO()
    with translation.override("fr"):
        call_command("contacts", "search", "paul", "--org", pauls.slug, "--limit", "2", stdout=out)
    assert "2 sur plus de 3 (précisez la recherche)" in out.getvalue()


def test_the_stored_vector_follows_the_text(org: Organisation) -> None:
    marie = sample.contact(org, "Marie", "Dupont")
    marie.last_name = "Durand"
    marie.save()
    services.refresh_search([marie])
    assert [str(c) for c in services.quick_search(org, "durand")[0]] == ["Marie Durand"]
    assert services.quick_search(org, "dupont")[0] == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_text_vector::text FROM contacts_contact WHERE id = %s", [marie.pk]
        )
        assert "'durand'" in cursor.fetchone()[0]
