"""pressdesk/lib/text.py: what matching and search see of a text."""

from __future__ import annotations

import pytest

from pressdesk.lib.text import fold, normalise, normalise_email, search_text, search_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hélène", "helene"),
        ("L’Équipe", "equipe"),
        ("l'Équipe", "equipe"),
        ("d'Orange", "orange"),
        ("Œuvre Cæsar Straße", "oeuvre caesar strasse"),
        ("jusqu'à demain", "a demain"),
        ("  Saint-Étienne  ", "saint-etienne"),
    ],
)
def test_it_normalises(text: str, expected: str) -> None:
    assert normalise(text) == expected


def test_it_folds_without_touching_elisions() -> None:
    assert fold("L’Équipe") == "l'equipe"


def test_it_splits_words_for_search() -> None:
    assert search_words("Marie.Dupont@Ouest-France.fr") == [
        "marie",
        "dupont",
        "ouest",
        "france",
        "fr",
    ]
    assert search_words("snake_case l'Oréal") == ["snake", "case", "oreal"]
    assert search_words("!!! --- ") == []


def test_it_joins_parts_into_search_text() -> None:
    assert search_text("Jean-Luc", "", "Le Monde") == "jean luc le monde"


def test_it_normalises_emails_as_a_whole() -> None:
    assert normalise_email(" <Marie.Dupont@Example.FR> ") == "marie.dupont@example.fr"
