"""A clipping's explanation, kept as codes and parameters and written in the reader's language.

The matcher (monitoring.query.explain) writes its explanation as sentences in the active
language, when the article goes through the pipeline: the worker's language, not the reader's.
`parse()` turns those sentences back into reasons (a code and its parameters), using the same
messages as the matcher through the catalogue of the language they were written in, and the
clipping keeps them; `render()` writes them again, at read time, in the active language. A
sentence that does not parse is kept as it was written (code "text"), so nothing is lost; rows
stored before reasons existed have none and show their text as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext

from pressdesk.lib import locales

# The matcher's messages (monitoring/query/explain.py), by code. They are its msgids, so the
# catalogue has them already; a test checks that every sentence the matcher writes parses.
MESSAGES = {
    "found": "“%(term)s” found %(places)s",
    "found_case": "“%(term)s” (with these capitals) found %(places)s",
    "near": "“%(left)s” and “%(right)s” within %(distance)s words, %(places)s",
    "not_capitals": "not excluded by NOT “%(term)s”: it appears only with other capitals",
    "not_title": "not excluded by NOT “%(term)s”: it is not in the title",
    "not_outlet": "not excluded by NOT “%(term)s”: only the outlet’s own name has it",
    "not_absent": "not excluded by NOT “%(term)s”: it does not appear",
    "not_part": "not excluded by %(part)s: that part does not match",
    "lang": "the article is in %(lang)s",
    "outlet": "the outlet is %(outlet)s",
    "type": "the outlet’s type is %(type)s",
}
PLACE = "in %(where)s at %(places)s"
MORE = "and %(count)s more"
FIELDS = {"title": "the title", "text": "the text"}
SEPARATOR = "; "
_NAMED = re.compile(r"%\((\w+)\)s")
_RANGE = re.compile(r"(\d+)–(\d+)")


def _regex(message: str, groups: dict[str, str]) -> str:
    """A translated message as a regular expression: each parameter becomes its group."""
    parts = []
    at = 0
    for found in _NAMED.finditer(message):
        parts.append(re.escape(message[at : found.start()]))
        name = found.group(1)
        parts.append(f"(?P<{name}>{groups.get(name, '.+?')})")
        at = found.end()
    parts.append(re.escape(message[at:]))
    return "".join(parts)


@lru_cache(maxsize=8)
def _grammar(language: str | None) -> dict[str, Any]:
    """The messages of one language, as patterns."""
    with translation.override(language):
        where = {gettext(msgid): field for field, msgid in FIELDS.items()}
        more = "|".join(
            _regex(ngettext(MORE, MORE, n), {"count": r"\d+"}).replace("?P<count>", "")
            for n in (1, 2, 5)
        )
        ranges = r"\d+–\d+(?:, \d+–\d+)*"
        place = _regex(gettext(PLACE), {"places": f"{ranges}(?: (?:{more}))?"})
        return {
            "sentences": [
                (code, re.compile(_regex(gettext(message), {"places": ".+"})))
                for code, message in MESSAGES.items()
            ],
            "where": where,
            "place": re.compile(f"{place}(?:, |$)"),
        }


def _places(text: str, grammar: dict[str, Any]) -> list[dict[str, Any]] | None:
    """ "in the text at 10–22, 30–41 and 2 more, in the title at 0–5" as structured places."""
    found: list[dict[str, Any]] = []
    at = 0
    while at < len(text):
        match = grammar["place"].match(text, at)
        if match is None or match.group("where") not in grammar["where"]:
            return None
        shown = match.group("places")
        ranges = _RANGE.findall(shown)
        rest = _RANGE.sub("", shown)
        count = re.search(r"\d+", rest)
        found.append(
            {
                "field": grammar["where"][match.group("where")],
                "at": [[int(a), int(b)] for a, b in ranges],
                "more": int(count.group()) if count else 0,
            }
        )
        at = match.end()
    return found


def _sentence(text: str, grammar: dict[str, Any]) -> dict[str, Any]:
    for code, pattern in grammar["sentences"]:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        params: dict[str, Any] = match.groupdict()
        if "places" in params:
            places = _places(params["places"], grammar)
            if places is None:
                continue
            params["places"] = places
        return {"code": code, **params}
    return {"code": "text", "text": text}


def parse(explanation: str, language: str | None = None) -> list[dict[str, Any]]:
    """The matcher's explanation, written in `language` (default: the active one), as reasons."""
    if not explanation:
        return []
    grammar = _grammar(language if language is not None else translation.get_language())
    return [_sentence(part, grammar) for part in explanation.split(SEPARATOR)]


def _render_places(places: list[dict[str, Any]]) -> str:
    parts = []
    for place in places:
        shown = ", ".join(f"{a}–{b}" for a, b in place.get("at", []))
        more = int(place.get("more") or 0)
        if more > 0:
            shown += " " + ngettext(MORE, MORE, more) % {"count": more}
        where = gettext(FIELDS.get(place.get("field", ""), "the text"))
        parts.append(gettext(PLACE) % {"where": where, "places": shown})
    return ", ".join(parts)


def render(reasons: list[dict[str, Any]]) -> str:
    """Reasons written in the active language."""
    sentences = []
    for reason in reasons:
        code = reason.get("code", "")
        if code not in MESSAGES:
            sentences.append(str(reason.get("text", "")))
            continue
        params = {key: value for key, value in reason.items() if key != "code"}
        if "places" in params:
            params["places"] = _render_places(params["places"])
        if code == "lang":
            params["lang"] = locales.language_name(str(params.get("lang", ""))) or params["lang"]
        try:
            sentences.append(gettext(MESSAGES[code]) % params)
        except (KeyError, TypeError, ValueError):
            sentences.append(str(reason.get("text", "")))
    return SEPARATOR.join(sentence for sentence in sentences if sentence)


def of(clipping: Any) -> str:
    """A clipping's explanation for the reader: its reasons rendered, else its stored text."""
    reasons = getattr(clipping, "reasons", None)
    return render(reasons) if reasons else str(getattr(clipping, "explanation", ""))
