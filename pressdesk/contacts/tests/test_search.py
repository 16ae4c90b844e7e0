from __future__ import annotations

import pytest
from django.db import connection

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import search_index, services
from pressdesk.contacts.models import Contact, Note
from pressdesk.contacts.tests import sample


def found(org: Organisation, query: str) -> list[str]:
    condition = search_index.matching(query)
    assert condition is not None
    return [c.full_name for c in Contact.objects.filter(org=org).filter(condition)]


def ranked(org: Organisation, query: str) -> list[str]:
    contacts, _count = services.quick_search(org, query)
    return [c.full_name for c in contacts]


@pytest.fixture
def press(org: Organisation) -> Organisation:
    equipe = sample.outlet(org, "L’Équipe", media_type="daily")
    ouest = sample.outlet(org, "Ouest-France")
    sample.contact(org, "Hélène", "Lefèvre", emails=["h.lefevre@lequipe.example.fr"], at=equipe)
    sample.contact(
        org,
        "Marie",
        "Dupont",
        emails=["Marie.Dupont@ouest-france.example.fr"],
        at=ouest,
        beats=["Énergie"],
    )
    sample.contact(org, "Jean-Luc", "Œuvray", beats=["Économie régionale"], tags=["VIP"])
    return org


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hélène", ["Hélène Lefèvre"]),
        ("helene", ["Hélène Lefèvre"]),
        ("HELENE LEFEVRE", ["Hélène Lefèvre"]),
        ("hel", ["Hélène Lefèvre"]),
        ("L'Équipe", ["Hélène Lefèvre"]),
        ("l’equipe", ["Hélène Lefèvre"]),
        ("equipe", ["Hélène Lefèvre"]),
        ("oeuvray", ["Jean-Luc Œuvray"]),
        ("jean-luc", ["Jean-Luc Œuvray"]),
        ("jean-l", ["Jean-Luc Œuvray"]),
        ("economie reg", ["Jean-Luc Œuvray"]),
        ("vip", ["Jean-Luc Œuvray"]),
        ("energie", ["Marie Dupont"]),
        ("ouest-france", ["Marie Dupont"]),
        ("marie.dupont@ouest-france.example.fr", ["Marie Dupont"]),
        ("marie.dupont@ouest", ["Marie Dupont"]),
        ("MARIE.DUP", ["Marie Dupont"]),
        ("dupont marie", ["Marie Dupont"]),
        ("dupont helene", []),
        ("zzz", []),
    ],
)
def test_it_matches_accents_case_elisions_prefixes_and_emails(
    press: Organisation, query: str, expected: list[str]
) -> None:
    assert found(press, query) == expected
    assert ranked(press, query) == expected


def test_it_treats_search_syntax_as_text(press: Organisation) -> None:
    for query in [
        '"',
        "dupont OR lefevre",
        "NEAR(a b)",
        "search_text:dupont",
        "a*",
        "-x",
        "(",
        "'",
        "&|!:*",
    ]:
        condition = search_index.matching(query)
        if condition is not None:
            list(Contact.objects.filter(org=press).filter(condition))
        services.quick_search(press, query)
    assert found(press, "dupont OR lefevre") == []


def test_it_ignores_a_query_without_words(press: Organisation) -> None:
    assert search_index.matching("  -- !! ") is None
    assert services.quick_search(press, "!!") == ([], 0)


def test_it_never_shows_another_organisations_contacts(
    press: Organisation, other_org: Organisation
) -> None:
    sample.contact(other_org, "Marie", "Dupuis", emails=["marie@other.example.fr"])
    assert found(press, "marie") == ["Marie Dupont"]
    assert ranked(press, "marie") == ["Marie Dupont"]
    assert ranked(other_org, "marie") == ["Marie Dupuis"]


def test_it_counts_beyond_the_page(org: Organisation) -> None:
    for n in range(5):
        sample.contact(org, "Paul", f"Martin{n}")
    contacts, count = services.quick_search(org, "paul", limit=2)
    assert len(contacts) == 2
    assert count == 5


def test_it_forgets_a_deleted_contact(press: Organisation) -> None:
    Contact.objects.filter(org=press, last_name="Dupont").delete()
    assert found(press, "dupont") == []
    assert ranked(press, "marie") == []


def test_it_forgets_contacts_of_a_deleted_organisation(press: Organisation) -> None:
    press.delete()
    assert Contact.objects.filter(search_text__contains="dupont").count() == 0


def test_it_follows_changes(press: Organisation) -> None:
    jean_luc = Contact.objects.get(org=press, first_name="Jean-Luc")
    jean_luc.last_name = "Durand"
    jean_luc.save()
    services.refresh_search([jean_luc])
    assert found(press, "durand") == ["Jean-Luc Durand"]
    assert found(press, "oeuvray") == []
    Note.objects.create(contact=jean_luc, text="Préfère les appels le matin")
    services.refresh_search([jean_luc])
    assert found(press, "appels matin") == ["Jean-Luc Durand"]


def test_it_searches_within_other_filters(press: Organisation) -> None:
    condition = search_index.matching("marie")
    assert condition is not None
    inner = Contact.objects.filter(org=press).filter(condition).values("pk")
    # As a subquery the table gets another alias: the condition must follow it.
    assert [c.full_name for c in Contact.objects.filter(pk__in=inner)] == ["Marie Dupont"]


@pytest.mark.parametrize("few", [0, 1, 1000])
def test_it_pages_in_name_order_whichever_plan(
    org: Organisation, monkeypatch: pytest.MonkeyPatch, few: int
) -> None:
    from pressdesk.contacts.filters import ContactFilterForm, to_querydict
    from pressdesk.lib.search import postgres, sqlite

    # Few matches are sorted, many walk the ordered index: both must agree.
    monkeypatch.setattr(sqlite, "FEW", few)
    monkeypatch.setattr(postgres, "FEW", few)
    monkeypatch.setattr(search_index, "MAX_LITERAL_IDS", few)
    for last in ["Zola", "Abel", "Émery", "Martin"]:
        sample.contact(org, "Jean", last)
    sample.contact(org, "Paul", "Autre")
    first = search_index.search(org, "jean", limit=2)
    second = search_index.search(org, "jean", limit=2, offset=2)
    for hits in (first, second):
        # PostgreSQL stops counting past FEW and says so; the order stays exact.
        assert (hits.count, hits.capped) in [(4, False), (few, connection.vendor == "postgresql")]
    by_id = {c.pk: c.last_name for c in Contact.objects.filter(org=org)}
    assert [by_id[i] for i in first.ids + second.ids] == ["Abel", "Émery", "Martin", "Zola"]
    assert search_index.search(org, "jean", limit=2, offset=10).ids == []
    form = ContactFilterForm(org, to_querydict({"q": "jean"}))
    assert [c.last_name for c in form.queryset()] == ["Abel", "Émery", "Martin", "Zola"]
