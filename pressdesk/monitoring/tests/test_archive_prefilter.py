"""Archive search asks the full-text index which articles can match before the matcher reads
them: the index must never leave out an article the query matches."""

from __future__ import annotations

import pytest
from django.db import connection

from pressdesk.accounts.models import Organisation
from pressdesk.lib.text import search_text
from pressdesk.monitoring import archive
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.query import parse
from pressdesk.monitoring.query.nodes import And, Not, Or
from pressdesk.work.models import WorkState


def groups(expression: str) -> list[set[tuple[str, ...]]] | None:
    found = archive.required(parse(expression).root)
    return None if found is None else [set(g) for g in found]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"Marie Dupont"', [{("marie", "dupont")}]),
        ('"Marie Dupont" OR "Mme Dupont"', [{("marie", "dupont")}, {("mme", "dupont")}]),
        ("acme NOT (fruit OR jus)", [{("acme",)}]),
        ("acme AND (lyon OR paris)", [{("acme",), ("lyon",)}, {("acme",), ("paris",)}]),
        ("energ*", [{("energ",)}]),
        ("acme NEAR/5 usine", [{("acme",), ("usine",)}]),
        ("acme AND lang:fr", [{("acme",)}]),
    ],
)
def test_it_says_what_an_article_must_contain(
    expression: str, expected: list[set[tuple[str, ...]]] | None
) -> None:
    assert groups(expression) == expected


def test_nothing_is_required_by_a_not_or_an_alternative_without_words() -> None:
    acme = parse("acme").root
    language = parse("acme AND lang:fr").root
    assert isinstance(language, And)
    assert archive.required(Not(acme)) is None
    assert archive.required(Or((acme, Not(acme)))) is None
    assert archive.required(Or((acme, language.children[1]))) is None


def test_it_gives_up_on_too_many_alternatives() -> None:
    many = " AND ".join(f"(a{n} OR b{n})" for n in range(5))
    found = archive.required(parse(many).root)
    # Still necessary: fewer conjuncts, never more alternatives than the cap.
    assert found is not None and len(found) <= archive.MAX_ALTERNATIVES


def _stored(org: Organisation, key: str, title: str, text: str) -> Item:
    return Item.objects.for_org(org).create(
        url=f"https://x.example/{key}",
        url_key=key,
        title=title,
        text=text,
        full_text_kept=True,
        search_text=search_text(title, text),
        stage=Stage.DONE,
        state=WorkState.DONE,
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"Marie Dupont" OR "Mme Dupont"', {"a", "b"}),
        ("acme NOT fruit", {"a"}),
        ("énergies NOT acme", {"c"}),
        ("énerg*", {"c"}),
        ('acme NEAR/3 "Saint-Étienne"', {"a"}),
        ('"Kergalubo"', set()),
    ],
)
def test_it_finds_what_the_matcher_finds_with_the_index_asked_first(
    org: Organisation, expression: str, expected: set[str]
) -> None:
    _stored(org, "a", "Acme à Saint-Étienne", "Marie Dupont y ouvre l’usine d’Acme.")
    _stored(org, "b", "Le fruit", "Selon Mme Dupont, Acme vend du fruit.")
    _stored(org, "c", "Énergies", "Les énergies renouvelables en hausse.")
    found = {hit.item.url_key for hit in archive.search(org, expression)}
    assert found == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word positions")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jean bernard a b renault", True),  # two words between: NEAR/2
        ("jean bernard a b c renault", False),
        ("renault a b jean bernard", True),
        ("renault a b c jean bernard", False),
        ("jean bernard renaultx", True),  # the right-hand side is a prefix
        ("marie bernard renault jean", False),  # the phrase is not there
    ],
)
def test_it_checks_near_pairs_on_word_positions_at_the_exact_distance(
    db: None, text: str, expected: bool
) -> None:
    """PostgreSQL is asked for NEAR pairs on word positions: within the distance, both ways."""
    from pressdesk.lib.search import Query
    from pressdesk.lib.search.postgres import full_tsquery

    left, right = ("jean", "bernard"), ("renault",)
    query = Query((left, right), exact=frozenset({left}), near=((left, right, 2),))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', %s)",
            [text, full_tsquery(query)],
        )
        assert cursor.fetchone()[0] is expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage")
def test_it_keeps_the_search_vector_in_the_article_row(db: None) -> None:
    """Migration 0005: the vector every candidate is tested on stays out of TOAST."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'monitoring_item'::regclass "
            "AND attname = 'search_text_vector'"
        )
        assert cursor.fetchone()[0] == "m"
