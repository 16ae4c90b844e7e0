"""The merge-field language of mailings: `{{ first_name }}`, `{{ outlet|default:"—" }}`.

A small sandbox, not a template engine: a field is one of the names below, optionally with a
`default:"…"` filter, and nothing else. There is no attribute access, no other filter and no
tag, so `{{ settings.SECRET_KEY }}` in a message is an error at compose time, and the same text
in a contact's record is printed as it stands: values are inserted literally, never read again.

A template is compiled once per mailing into literal chunks and slots; filling it for one
recipient is a join, which is what lets a worker build a thousand messages a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language_override

from pressdesk.mailings.errors import MailingError

# The documented fields, with the help the composer shows next to the message.
FIELDS: dict[str, object] = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "full_name": gettext_lazy("First and last name"),
    "outlet": gettext_lazy("Outlet (current position)"),
    "job_title": gettext_lazy("Job title"),
    "beat": gettext_lazy("Beats, separated by commas"),
    "intro": gettext_lazy("The intro line written for this person"),
    "greeting": gettext_lazy('Greeting: "Hello Jeanne Dupont" (never guessed from a name)'),
}

_OPEN = "{{"
_CLOSE = "}}"
_FIELD = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*default\s*:\s*"([^"\r\n]*)"\s*)?$')


class MergeError(MailingError):
    """A merge field that is not part of the language; the message names it and where it is."""

    def __init__(self, message: str, *, field: str, line: int, column: int) -> None:
        super().__init__(message)
        self.field = field
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Slot:
    """One field in a compiled template: its name and the text used when the value is empty."""

    name: str
    default: str = ""


# A compiled template: literal strings and slots, in order.
Parts = tuple[str | Slot, ...]


def _where(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


def compile_template(source: str, *, what: str = "") -> Parts:
    """Split a template into literal text and slots; MergeError for anything not a known field."""
    parts: list[str | Slot] = []
    pos = 0
    while True:
        start = source.find(_OPEN, pos)
        if start < 0:
            parts.append(source[pos:])
            break
        end = source.find(_CLOSE, start + 2)
        inner = source[start + 2 : end] if end >= 0 else source[start + 2 : start + 40]
        line, column = _where(source, start)
        match = _FIELD.match(inner) if end >= 0 else None
        name = match.group(1) if match else inner.strip().split("|")[0].strip()
        if match is None or name not in FIELDS:
            raise MergeError(
                _(
                    '%(what)sUnknown merge field "%(field)s" at line %(line)s, column '
                    "%(column)s. Use one of: %(fields)s."
                )
                % {
                    "what": f"{what} — " if what else "",
                    "field": name or inner.strip() or "{{",
                    "line": line,
                    "column": column,
                    "fields": ", ".join(FIELDS),
                },
                field=name,
                line=line,
                column=column,
            )
        parts.append(source[pos:start])
        parts.append(Slot(name, match.group(2) or ""))
        pos = end + 2
    return tuple(p for p in parts if p != "")


def fields_used(parts: Parts) -> set[str]:
    """The names of the fields a compiled template uses."""
    return {p.name for p in parts if isinstance(p, Slot)}


def fill(
    parts: Parts, values: Mapping[str, str], escape: Callable[[str], str] | None = None
) -> str:
    """The template with this recipient's values, each inserted literally (escaped if asked)."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        value = values.get(part.name, "") or part.default
        out.append(escape(value) if escape is not None else value)
    return "".join(out)


def greeting(first_name: str, last_name: str, language: str) -> str:
    """A neutral greeting with the person's name. Contacts record no civility, and a first name
    is never taken as a sign of gender, so there is no « Madame » / « Monsieur » to choose."""
    with language_override(language):
        name = f"{first_name} {last_name}".strip()
        if name:
            return _("Hello %(name)s") % {"name": name}
        return _("Hello")
