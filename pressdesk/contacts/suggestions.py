"""Why two contacts may be one person, as a merge suggestion keeps it: a code and its data
("email:marie@example.fr", "name:Ouest-France"), put in words in the reader's language when
shown, whoever ran the scan or the import and in whichever language."""

from __future__ import annotations

from django.utils.translation import gettext as _

EMAIL, NAME = "email", "name"
_MAX = 200  # MergeSuggestion.reason's length


def same_email(address: str = "") -> str:
    """The reason for two contacts that share an address (named, if known)."""
    return f"{EMAIL}:{address}"[:_MAX]


def similar_name(outlet: str) -> str:
    """The reason for two people with close names at the same outlet."""
    return f"{NAME}:{outlet}"[:_MAX]


def in_words(reason: str) -> str:
    """A stored reason in the reader's language; one written in words before codes is kept."""
    kind, sep, data = reason.partition(":")
    if sep and kind == EMAIL:
        return (
            _("same email address %(email)s") % {"email": data} if data else _("same email address")
        )
    if sep and kind == NAME:
        return _("similar name at %(outlet)s") % {"outlet": data}
    return reason
