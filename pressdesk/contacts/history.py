"""A contact's history of changes in words: field names and values as people read them.

History rows keep what was stored (E.164 numbers, ISO codes, choice keys, ISO dates); the contact
page and the GDPR access report show them in the reader's language through this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateField, DateTimeField, Field
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import phones
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.models.contacts import LawfulBasis, SourceKind
from pressdesk.contacts.models.optout import OptOutReason
from pressdesk.lib import locales
from pressdesk.lib.typography import label_value

# Provenance rows name fields that are not model columns (related rows, list of tags…), or
# columns without a name of their own.
_FIELD_NAMES = {
    "emails": _("email addresses"),
    "email": _("email"),
    "phone": _("phone number"),
    "phones": _("phone numbers"),
    "outlet": _("outlet"),
    "position": _("position"),
    "beats": _("beats"),
    "tags": _("tags"),
    "notes": _("notes"),
    "opt_out": _("opt-out"),
    "retention_flagged_at": _("3-year retention review"),
    "merged_from": _("merged with"),
    "positions": _("positions"),
    "lists": _("lists"),
}
MERGED_FROM = "merged_from"
# Merge rows written before the merged contact was stored as data: "#59 Élodie Carré — …" as
# the value, "merged contact #59 (Élodie Carré)" (or its French) as the source. Read for the name.
_OLD_MERGED_VALUE = re.compile(r"^#\d+\s+")
_OLD_MERGED_SOURCE = re.compile(r"(?:#|n°\s*)\d+\D*?\((?P<name>.*)\)\s*$")


def _model_field(name: str) -> Field[object, object] | None:
    try:
        found = Contact._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, Field) else None


def field_name(name: str) -> str:
    """A history row's field as people read it: "lawful basis", not "lawful_basis"."""
    if name in _FIELD_NAMES:
        return str(_FIELD_NAMES[name])
    found = _model_field(name)
    if found is not None:
        return str(found.verbose_name)
    return name.replace("_", " ")


def _codes(value: str) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def _reasons(value: str) -> str:
    return ", ".join(
        str(OptOutReason(r).label) if r in OptOutReason.values else r for r in _codes(value)
    )


def _formats(value: str) -> str:
    from pressdesk.contacts.preferences import FORMATS

    return str(dict(FORMATS).get(value, value))


def _when(value: str) -> str:
    moment = parse_datetime(value)
    if moment is not None:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    day = parse_date(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day is not None else value


_IN_WORDS: dict[str, Callable[[str], str]] = {
    "phones": phones.display_list,
    "phone": phones.display_list,
    "languages": lambda value: locales.language_names(_codes(value)),
    "preferred_language": locales.language_name,
    "country": locales.country_name,
    "opt_out": _reasons,
    "preferred_format": _formats,
}


def value_in_words(name: str, value: str) -> str:
    """A history row's value as people read it: a choice's label, a name rather than a code."""
    if not value:
        return ""
    if name == MERGED_FROM:
        data = _merged(value)
        return f"{data['name']} — {_merged_provenance(data)}"
    if name in _IN_WORDS:
        return _IN_WORDS[name](value)
    found = _model_field(name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(found, DateField | DateTimeField):
        return _when(value)
    return value


def _merged(value: str) -> dict[str, Any]:
    """The data of a merge row; an older row, written in words, gives its name and its text."""
    try:
        data = json.loads(value)
    except ValueError:
        data = None
    if isinstance(data, dict) and "name" in data:
        return data
    name, _sep, rest = _OLD_MERGED_VALUE.sub("", value).partition(" — ")
    return {"name": name.strip(), "text": rest.strip()}


def _merged_provenance(data: dict[str, Any]) -> str:
    """Where the merged contact came from, in the reader's language."""
    if "text" in data:
        return str(data["text"])
    kind = data.get("source_kind", "")
    basis = data.get("lawful_basis", "")
    created = parse_date(str(data.get("created", "")))
    return gettext("%(source)s, %(basis)s, record created on %(created)s") % {
        "source": data.get("source")
        or (SourceKind(kind).label if kind in SourceKind.values else kind),
        "basis": str(LawfulBasis(basis).label).lower() if basis in LawfulBasis.values else basis,
        "created": day(created) if created else "",
    }


def origin(kind: str, label: str) -> str:
    """Where a detail came from: "Fichier importé : salon.csv (démo)", never in nested
    parentheses; the kind alone when the label adds nothing."""
    words = str(SourceKind(kind).label) if kind in SourceKind.values else ""
    # The preference page writes an internal label; the kind already says it all.
    if label and kind != SourceKind.PREFERENCES:
        return label_value(words, label) if words else label
    return words


def change_words(change: FieldChange) -> dict[str, str]:
    """A history row as the contact page shows it: field, before and after in words, where it
    came from; a merge reads as a sentence ("Merged with Élodie Carré") and its provenance."""
    source = change.source_label
    if change.source_kind == SourceKind.MERGE:
        old = _OLD_MERGED_SOURCE.search(source)
        source = old.group("name") if old else source
    source = origin(change.source_kind, source)
    if change.field == MERGED_FROM:
        data = _merged(change.new_value)
        return {
            "sentence": gettext("Merged with %(name)s") % {"name": data["name"]},
            "new": _merged_provenance(data),
            "source": source,
        }
    return {
        "field": field_name(change.field),
        "old": value_in_words(change.field, change.old_value),
        "new": value_in_words(change.field, change.new_value),
        "source": source,
    }


def day(value: date | datetime | None) -> str:
    """A date as the reader's language writes it, or ""."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT")
