"""Which of the organisation's languages an article is written in (lingua, models in its wheel)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

# Too few letters to tell a language by.
MIN_LETTERS = 12
_LETTERS = re.compile(r"[^\W\d_]")
# A single allowed language is weighed against these, so a text in neither is not forced in.
_FOILS = ("en", "fr")
# Long articles are told by their beginning: enough for lingua, and a bounded cost per item.
_SAMPLE = 5000


def _language(code: str) -> Language | None:
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.strip().upper()[:2]))
    except (AttributeError, ValueError):
        return None


@lru_cache(maxsize=16)
def _detector(codes: frozenset[str]) -> LanguageDetector:
    """One detector per language set, built once: building it loads lingua's models."""
    languages = {lang for lang in map(_language, codes) if lang is not None}
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect(text: str, allowed: Sequence[str]) -> str | None:
    """The ISO 639-1 code ("fr") of the text's language among `allowed`, or None if unsure."""
    wanted = {code.lower()[:2] for code in allowed if _language(code) is not None}
    if not wanted or len(_LETTERS.findall(text[:_SAMPLE])) < MIN_LETTERS:
        return None
    candidates = wanted | set(_FOILS) if len(wanted) == 1 else wanted
    found = _detector(frozenset(candidates)).detect_language_of(text[:_SAMPLE])
    if found is None:
        return None
    code = found.iso_code_639_1.name.lower()
    return code if code in wanted else None
