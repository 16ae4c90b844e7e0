"""Language tagging among the organisation's languages."""

from __future__ import annotations

from pressdesk.monitoring.language import detect

FRENCH = "Le président de la région a annoncé mardi la réouverture de l’usine, fermée depuis l’été."
ENGLISH = (
    "The regional president announced on Tuesday that the factory, closed since summer, reopens."
)
GERMAN = "Der Präsident der Region hat am Dienstag die Wiedereröffnung der Fabrik angekündigt."


def test_it_tells_french_from_english() -> None:
    assert detect(FRENCH, ["fr", "en"]) == "fr"
    assert detect(ENGLISH, ["fr", "en"]) == "en"


def test_it_answers_only_with_an_allowed_language() -> None:
    assert detect(ENGLISH, ["fr"]) is None
    assert detect(FRENCH, ["fr"]) == "fr"
    assert detect(GERMAN, ["de", "fr", "en"]) == "de"


def test_it_does_not_guess_on_too_little_text() -> None:
    assert detect("OK 2026", ["fr", "en"]) is None
    assert detect("", ["fr", "en"]) is None


def test_it_ignores_unknown_codes() -> None:
    assert detect(FRENCH, ["xx", "FR-fr", "en"]) == "fr"
    assert detect(FRENCH, ["zz"]) is None
