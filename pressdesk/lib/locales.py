"""Languages and countries by name in the reader's language, from CLDR (Babel), never hand-written.

Codes stay in the database (ISO 639-1 languages, ISO 3166-1 alpha-2 countries); people see names:
"anglais" and "Royaume-Uni" for a French reader, "English" and "United Kingdom" for an English one.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

from pressdesk.lib.text import normalise

# The languages a press office meets most, offered first in pickers.
COMMON_LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt", "ar")


@lru_cache(maxsize=16)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def _current() -> Locale:
    return _locale((get_language() or "en").split("-")[0])


def language_name(code: str) -> str:
    """The language's name in the active language ("anglais"); the code itself if unknown."""
    code = (code or "").strip().lower()
    name = _current().languages.get(code)
    return name or code.upper()


def country_name(code: str) -> str:
    """The country's name in the active language ("Royaume-Uni"); the code itself if unknown."""
    code = (code or "").strip().upper()
    name = _current().territories.get(code)
    return name or code


def is_language(code: str) -> bool:
    """True for a two-letter language code CLDR knows."""
    return len(code) == 2 and code.lower() in _locale("en").languages


def is_country(code: str) -> bool:
    """True for a two-letter ISO 3166-1 country code CLDR knows."""
    return len(code) == 2 and code.isalpha() and code.upper() in _locale("en").territories


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for two-letter languages: the common ones first, then the rest by name."""
    names: dict[str, str] = dict(_current().languages)
    codes = [c for c in names if len(c) == 2 and c.isalpha()]
    rest = sorted(
        (c for c in codes if c not in COMMON_LANGUAGES), key=lambda c: names[c].casefold()
    )
    return [(c, names[c]) for c in COMMON_LANGUAGES if c in names] + [(c, names[c]) for c in rest]


def country_choices() -> list[tuple[str, str]]:
    """(code, name) for countries (two-letter codes only, not regions like "150"), by name."""
    names: dict[str, str] = dict(_current().territories)
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in ("ZZ", "EU", "EZ", "UN")]
    return sorted(((c, names[c]) for c in codes), key=lambda pair: pair[1].casefold())


def language_names(codes: list[str] | tuple[str, ...] | None) -> str:
    """Several languages by name, comma-separated ("français, anglais")."""
    return ", ".join(language_name(c) for c in codes or [] if c)


@lru_cache(maxsize=1)
def _names_to_codes() -> tuple[dict[str, str], dict[str, str]]:
    # Names in the languages the interface speaks, folded, so "Anglais", "english" and "EN" all
    # read back as "en": exports write names, and must import again as the same data.
    languages: dict[str, str] = {}
    countries: dict[str, str] = {}
    for lang in ("en", "fr"):
        locale = _locale(lang)
        for code, name in locale.languages.items():
            if len(code) == 2 and code.isalpha():
                languages.setdefault(normalise(name), code)
        for code, name in locale.territories.items():
            if len(code) == 2 and code.isalpha():
                countries.setdefault(normalise(name), code)
    return languages, countries


def language_code(text: str) -> str:
    """The code of a language given by code or by name in English or French; "" if unknown."""
    text = (text or "").strip()
    if is_language(text):
        return text.lower()
    return _names_to_codes()[0].get(normalise(text), "")


def country_code(text: str) -> str:
    """The code of a country given by code or by name in English or French; "" if unknown."""
    text = (text or "").strip()
    if is_country(text):
        return text.upper()
    return _names_to_codes()[1].get(normalise(text), "")
