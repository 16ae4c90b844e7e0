"""From what the user wrote to what the automaton looks for: terms in the matching form.

Every term is normalised exactly as article text is (pressdesk.lib.text.normalise_mapped), so
"L’Oréal", "l'oreal" and "LOréal" (sic) meet on the same words. A hyphenated name is a phrase
("Jean-Luc" finds "Jean-Luc" and "Jean Luc") and also finds the name written in one word
("Jeanluc"), as OCR and hurried writers leave it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from pressdesk.lib.text import normalise_mapped
from pressdesk.monitoring.query.errors import syntax_error
from pressdesk.monitoring.query.nodes import Node, Or, Term

# A prefix needs this many letters, or energ* would be e* and find half the language.
MIN_PREFIX = 3
_HYPHEN = re.compile(r"(?<=\w)[-‐‑](?=\w)")


def capitals(text: str, offsets: Sequence[int], start: int, end: int) -> tuple[bool, ...]:
    """Which letters and digits are capitals in the original of normalised[start:end].

    Read from the original span ("L’ORÉAL" gives five capitals for the words "oreal"), on
    both the query's side and the article's, so that œ or an accent counts the same way.
    """
    return tuple(map(str.isupper, filter(str.isalnum, text[offsets[start] : offsets[end]])))


def make_term(
    source: str, position: int, *, prefix: bool = False, case: bool = False, field: str = ""
) -> Node:
    """The term for a word or phrase as written; a hyphenated one also as one word."""
    words, offsets = normalise_mapped(source)
    if not words:
        raise syntax_error(
            position,
            gettext_noop("“%(term)s” has no letters or digits to look for."),
            gettext_noop("Remove it, or put the words you mean in quotes."),
            term=source,
        )
    if prefix and len(words.rsplit(" ", 1)[-1]) < MIN_PREFIX:
        raise syntax_error(
            position,
            gettext_noop("“%(term)s*” is too short a prefix."),
            gettext_noop("A prefix needs at least 3 letters before the *, as in energ*."),
            term=source,
        )
    flags = capitals(source, offsets, 0, len(words)) if case else ()
    term = Term(source, words, prefix, case, field, position, flags)
    joined_source = _HYPHEN.sub("", source)
    if joined_source == source or prefix:
        return term
    joined, joined_offsets = normalise_mapped(joined_source)
    joined_flags = capitals(joined_source, joined_offsets, 0, len(joined)) if case else ()
    return Or((term, Term(source, joined, False, case, field, position, joined_flags)), source)
