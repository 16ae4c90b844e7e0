"""French typography for the short texts the interface builds: "Rubriques : énergie".

French puts a non-breaking space before ":", English does not; the separator is a translated
string, so each language gets its own rule from its catalogue.
"""

from __future__ import annotations

import html
import re

from django.utils.translation import pgettext


def separator() -> str:
    """The "label: value" separator of the active language (no-break space and ":" in French)."""
    return pgettext("label separator", ":")


def label_value(label: object, value: object) -> str:
    """ "label: value" as the active language writes it ("Rubriques : énergie" in French)."""
    return f"{label}{separator()} {value}"


# --- French typography in running text (releases) -------------------------------------------
# The spaces French puts around punctuation must never break a line: a no-break space before ":"
# and inside « », a narrow no-break space before ; ! ? (Imprimerie nationale). Québec puts a
# space before ":" only.
NBSP = "\u00a0"
NNBSP = "\u202f"

_SPACES = "[ \u00a0\u202f\t]"
# "14h30", "14 h 30", "14:30", "9h" → "14 h 30", "9 h": hours 0–23, minutes 00–59.
_TIME = re.compile(
    r"(?<![\w:.,])([01]?\d|2[0-3])" + _SPACES + r"?(?:h|H|:)" + _SPACES + r"?([0-5]\d)?(?![\w:])"
)
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_DOUBLE_QUOTES = re.compile(r'(?<![\w])"([^"\n]+?)"(?![\w])')
_OPEN_GUILLEMET = re.compile("«" + _SPACES + "*")
_CLOSE_GUILLEMET = re.compile(_SPACES + "*»")
# Before ":" only when a space or the end follows, so "https://" and "3:2" stay as they are.
_COLON = re.compile(r"(?<=[^\s:;!?])" + _SPACES + r"*:(?=\s|$|[»)\]])")
_HIGH = re.compile(r"(?<=[^\s;!?:])" + _SPACES + r"*([;!?]+)(?=\s|$|[»)\]\"'’])")
_HIGH_CA = re.compile(_SPACES + r"+([;!?]+)(?=\s|$|[»)\]\"'’])")


def _time(match: re.Match[str]) -> str:
    hours, minutes = match.group(1), match.group(2)
    return f"{int(hours)}{NBSP}h{NBSP}{minutes}" if minutes else f"{int(hours)}{NBSP}h"


def french_text(text: str, *, quebec: bool = False) -> str:
    """Plain text set in French: ’, « », "14 h 30", no-break spaces before : ; ! ?
    (Québec: before ":" only).

    Idempotent: running it on text it already set changes nothing.
    """
    text = _APOSTROPHE.sub("’", text)
    text = _DOUBLE_QUOTES.sub(lambda m: f"«{m.group(1).strip()}»", text)
    text = _OPEN_GUILLEMET.sub("«" + NBSP, text)
    text = _CLOSE_GUILLEMET.sub(NBSP + "»", text)
    text = _TIME.sub(_time, text)
    text = _COLON.sub(NBSP + ":", text)
    if quebec:
        return _HIGH_CA.sub(r"\1", text)
    return _HIGH.sub(lambda m: NNBSP + m.group(1), text)


_TAG = re.compile(r"(<[^>]*>)")
_JOIN = "\x01"
_VERBATIM = {"code", "pre", "kbd", "samp"}


def french_html(markup: str, *, quebec: bool = False) -> str:
    """`french_text` applied to the text between the tags of sanitised HTML, never inside tags,
    attributes (links) or code."""
    out: list[str] = []
    verbatim = 0
    for part in _TAG.split(markup):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</> ") else ""
            if name in _VERBATIM:
                verbatim += -1 if part.startswith("</") else 1
            out.append(part)
        elif part and verbatim <= 0:
            # A stand-in for the word before an inline tag ("<a>site</a> : …"), dropped after.
            text = french_text(_JOIN + html.unescape(part), quebec=quebec)[1:]
            out.append(html.escape(text, quote=False))
        else:
            out.append(part)
    return "".join(out)
