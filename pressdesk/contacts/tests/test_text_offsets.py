"""pressdesk/lib/text.py's matching form with its offset map, which monitoring highlights with."""

from __future__ import annotations

import random

import pytest

from pressdesk.lib.text import normalise_mapped, normalise_with_offsets


def words_back(text: str) -> list[tuple[str, str]]:
    """Each word of the form, and the original text its offsets point at."""
    normalised, offsets = normalise_with_offsets(text)
    found = []
    start = 0
    for word in normalised.split(" ") if normalised else []:
        end = start + len(word)
        found.append((word, text[offsets[start] : offsets[end]]))
        start = end + 1
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’Orange", "orange"),
        ("d'Orange et l’Oréal", "orange et oreal"),
        ("Qu’il vienne jusqu’à Lyon", "il vienne a lyon"),
        ("Cœur, ŒUVRE et Cæsar", "coeur oeuvre et caesar"),
        ("Saint-Étienne", "saint etienne"),
        ("Jean-Luc  Mélenchon…  « oui »", "jean luc melenchon oui"),
        ("aujourd'hui", "aujourd hui"),
        ("Orange's results", "orange s results"),
        ("  \n\t ", ""),
        ("", ""),
        ("Straße", "strasse"),
        ("e\u0301te\u0301", "ete"),  # accents as combining marks
        ("Москва и Orange", "москва и orange"),
    ],
)
def test_it_gives_the_matching_form(text: str, expected: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == expected
    assert len(offsets) == len(normalised) + 1


def test_it_maps_each_word_back_to_the_original() -> None:
    assert words_back("Selon l’Orange, Mme Dupont (Saint-Étienne) a dit « non ».") == [
        ("selon", "Selon"),
        ("orange", "Orange"),
        ("mme", "Mme"),
        ("dupont", "Dupont"),
        ("saint", "Saint"),
        ("etienne", "Étienne"),
        ("a", "a"),
        ("dit", "dit"),
        ("non", "non"),
    ]


def test_it_maps_expanded_letters_to_the_one_they_came_from() -> None:
    text = "La sœur de Cæsar"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "la soeur de caesar"
    start = normalised.index("soeur")
    assert text[offsets[start] : offsets[start + 5]] == "sœur"
    assert offsets[start + 1] == offsets[start + 2] == text.index("œ")


def test_it_maps_a_phrase_across_punctuation_to_the_whole_original_span() -> None:
    text = "M. Dupont, président"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "m dupont president"
    assert text[offsets[0] : offsets[len("m dupont")]] == "M. Dupont"


def test_its_compact_map_agrees_with_the_list() -> None:
    text = "L’Œuvre d’Æsop — jusqu’à « Saint-Étienne »…"
    _normalised, offsets = normalise_mapped(text)
    as_list = normalise_with_offsets(text)[1]
    assert [offsets[i] for i in range(len(offsets))] == as_list == offsets.to_list()


ALPHABET = "aéEÉœŒæß-’' ,.«»\u0301\u00a0lqud’Ωи"  # not ½: one character, two words


@pytest.mark.parametrize("seed", range(40))
def test_it_keeps_its_promises_on_random_text(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
    normalised, offsets = normalise_with_offsets(text)
    assert "  " not in normalised and normalised == normalised.strip()
    assert len(offsets) == len(normalised) + 1
    assert offsets == sorted(offsets)
    assert all(0 <= o <= len(text) for o in offsets)
    for word, original in words_back(text):
        # The original span of a word reads as that word again.
        assert normalise_with_offsets(original)[0].replace(" ", "") == word, (text, word)
