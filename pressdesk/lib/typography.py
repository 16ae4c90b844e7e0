"""French typography for the short texts the interface builds: "Rubriques : énergie".

French puts a non-breaking space before ":", English does not; the separator is a translated
string, so each language gets its own rule from its catalogue.
"""

from __future__ import annotations

from django.utils.translation import pgettext


def separator() -> str:
    """The "label: value" separator of the active language (no-break space and ":" in French)."""
    return pgettext("label separator", ":")


def label_value(label: object, value: object) -> str:
    """ "label: value" as the active language writes it ("Rubriques : énergie" in French)."""
    return f"{label}{separator()} {value}"
