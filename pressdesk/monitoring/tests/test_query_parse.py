"""pressdesk/monitoring/query/parser.py: the watch-query language, and its syntax errors."""

from __future__ import annotations

import pytest
from django.utils import translation

from pressdesk.monitoring.query import QuerySyntaxError, parse
from pressdesk.monitoring.query.nodes import And, Filter, Near, Not, Or, Term


def test_it_reads_phrases_operators_and_groups() -> None:
    root = parse('"Marie Dupont" AND (télécom* OR fibre) NOT fruit').root
    assert isinstance(root, And)
    phrase, group, excluded = root.children
    assert phrase == Term("Marie Dupont", "marie dupont", position=0)
    assert isinstance(group, Or)
    assert [t.words for t in group.children if isinstance(t, Term)] == ["telecom", "fibre"]
    assert group.children[0].prefix  # type: ignore[union-attr]
    assert isinstance(excluded, Not)


def test_it_reads_terms_side_by_side_as_and_and_or_looser_than_and() -> None:
    root = parse("a b OR c").root
    assert isinstance(root, Or)
    assert isinstance(root.children[0], And)


def test_it_reads_the_french_operators_and_guillemets() -> None:
    root = parse("« Le Monde » OU Libération SAUF sport").root
    assert isinstance(root, Or)
    assert root.children[0] == Term("Le Monde", "le monde", position=0)
    assert isinstance(root.children[1], And)
    assert isinstance(root.children[1].children[1], Not)


def test_it_reads_lower_case_et_as_a_word() -> None:
    root = parse("Orange et Free").root
    assert isinstance(root, And)
    assert [c.words for c in root.children if isinstance(c, Term)] == ["orange", "et", "free"]


def test_it_reads_near_case_and_fields() -> None:
    root = parse(
        'case:"Orange" NEAR/5 réseau title:Free lang:fr outlet:"Ouest-France" type:regional'
    )
    assert isinstance(root.root, And)
    near, title, lang, outlet, media = root.root.children
    assert isinstance(near, Near) and near.distance == 5
    assert isinstance(near.left, Term) and near.left.case
    assert near.left.capitals == (True, False, False, False, False, False)
    assert title == Term("Free", "free", field="title", position=34)
    assert lang == Filter("lang", "fr", position=39, source="lang:fr")
    assert isinstance(outlet, Filter) and outlet.value == "Ouest-France"
    assert isinstance(media, Filter) and media.field == "type"


def test_it_reads_a_hyphenated_name_as_a_phrase_or_one_word() -> None:
    root = parse("Jean-Luc").root
    assert isinstance(root, Or)
    assert [t.words for t in root.children if isinstance(t, Term)] == ["jean luc", "jeanluc"]


def test_it_strips_elisions_from_terms_as_from_text() -> None:
    assert parse("d’Orange").root == Term("d’Orange", "orange", position=0)


def test_it_passes_title_and_case_to_a_group() -> None:
    root = parse("title:(Orange OR Free)").root
    assert isinstance(root, Or)
    assert all(isinstance(t, Term) and t.field == "title" for t in root.children)


@pytest.mark.parametrize(
    ("expression", "position", "message"),
    [
        ("", 0, "The query is empty."),
        ('orange "Marie', 7, "This quotation mark is never closed."),
        ("(orange OR free", 0, "This parenthesis is never closed."),
        ("orange)", 6, "This closing parenthesis has no opening one."),
        ("orange ()", 7, "These parentheses are empty."),
        ('orange ""', 7, "These quotation marks are empty."),
        ("orange AND", 7, "“AND” needs something to look for after it."),
        ("OR orange", 0, "“OR” needs something to look for before it."),
        ("orange NEAR free", 7, "NEAR needs a distance in words."),
        ("(a AND b) NEAR/3 c", 10, "NEAR joins words or phrases, or groups of them joined by OR."),
        ("auteur:Dupont", 0, "“auteur:” is not a field."),
        ("title: orange", 0, "“title:” needs a word, a phrase or a group right after it."),
        ("en*", 0, "“en*” is too short a prefix."),
        ("en*gie", 2, "A wildcard can only end a word."),
        ('"..."', 0, "“...” has no letters or digits to look for."),
        ("NOT fruit", 0, "This query would match every article."),
        ("lang:fr", 0, "This query would match every article."),
    ],
)
def test_it_says_where_a_query_is_wrong(expression: str, position: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(expression)
    assert (str(caught.value.message), caught.value.position) == (message, position)
    assert str(caught.value.hint)


def test_it_reports_errors_in_the_users_language() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("orange AND")
    with translation.override("fr"):
        assert (
            str(caught.value.message)
            == "«\u00a0AND\u00a0» doit être suivi de ce qu’il faut chercher."
        )
        assert "caractère 8" in str(caught.value)
