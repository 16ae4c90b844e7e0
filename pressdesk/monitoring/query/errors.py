"""Syntax errors in watch queries: what is wrong, where, and a hint, in the user's language."""

from __future__ import annotations

from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _format(message: str, values: dict[str, Any]) -> str:
    return gettext(message) % values if values else gettext(message)


# A message with its placeholders filled in, translated when shown (not when raised), so that a
# query checked in one language and reported in another still reads right.
lazy_format = lazy(_format, str)


class QuerySyntaxError(ValueError):
    """A watch query that cannot be read. `position` counts characters from 0."""

    def __init__(self, message: str, position: int, hint: str = "") -> None:
        super().__init__(message, position, hint)
        self.message = message
        self.position = position
        self.hint = hint

    def __str__(self) -> str:
        text = str(
            _("%(message)s (at character %(column)s)")
            % {"message": self.message, "column": self.position + 1}
        )
        return f"{text} {self.hint}".strip() if self.hint else text

    def as_dict(self) -> dict[str, object]:
        """The error for JSON output and the query editor."""
        return {"message": str(self.message), "position": self.position, "hint": str(self.hint)}


def syntax_error(position: int, message: str, hint: str = "", **values: Any) -> QuerySyntaxError:
    """A QuerySyntaxError whose message and hint (msgids, %(name)s placeholders) translate late."""
    return QuerySyntaxError(
        lazy_format(message, values), position, lazy_format(hint, values) if hint else ""
    )
