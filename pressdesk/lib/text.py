"""Text normalisation for matching: keep the original for display, match on a normalised copy."""

from __future__ import annotations

import re
import unicodedata

# French elisions: "l'Équipe" matches "equipe", "d'Orange" matches "orange".
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w@.+'-]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents, expand ligatures and unify apostrophes."""
    text = text.translate(_APOSTROPHES).translate(_LIGATURES).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """The matching form of a text: folded, elisions stripped, punctuation turned into spaces."""
    text = _ELISION.sub("", fold(text))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def words(text: str) -> list[str]:
    """The normalised words of a text, for search indexes and queries."""
    return [w for w in re.split(r"[^\w]+", normalise(text)) if w]


def normalise_email(address: str) -> str:
    """The comparable form of an email address: trimmed and lower-cased as a whole.

    The local part is case-sensitive in theory, but no real mail system treats it so, and
    "Marie.Dupont@" and "marie.dupont@" are the same journalist for a press office.
    """
    return address.strip().strip("<>").strip().lower()


_SEARCH_SPLIT = re.compile(r"[\W_]+")


def search_words(text: str) -> list[str]:
    """The words full-text search sees: normalised, then split on anything but letters and digits.

    Emails and hyphenated names become word sequences ("marie.dupont@ouest-france.fr" gives
    marie dupont ouest france fr), so SQLite FTS5 and PostgreSQL's parser tokenise them alike.
    """
    return [w for w in _SEARCH_SPLIT.split(normalise(text)) if w]


def search_text(*parts: str) -> str:
    """The text to index for these parts: their search words, separated by single spaces."""
    return " ".join(w for part in parts if part for w in search_words(part))
