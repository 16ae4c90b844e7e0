"""Template helpers of the press file."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import phones
from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.optout import OptOutReason
from pressdesk.lib import locales, typography

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number as people read it (French numbers in the national format)."""
    return phones.display(e164) if e164 else ""


@register.filter
def phone_label(key: str) -> str:
    """A phone number's kind in words ("mobile" → "Portable")."""
    return phones.label_name(phones.label_key(key)) if key else ""


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Languages by name in the reader's language ("français, anglais")."""
    return locales.language_names(codes)


@register.filter
def language_name(code: str) -> str:
    """A language by name in the reader's language ("anglais")."""
    return locales.language_name(code) if code else ""


@register.filter
def country_name(code: str) -> str:
    """A country by name in the reader's language ("Royaume-Uni")."""
    return locales.country_name(code) if code else ""


@register.simple_tag
def label_value(label: object, value: object) -> str:
    """ "label: value" with the active language's typography ("Rubriques : énergie")."""
    return typography.label_value(label, value)


@register.inclusion_tag("contacts/_field.html")
def field(bound_field: object) -> dict[str, object]:
    """A form field with its label, help text and errors, accessibly tied together."""
    return {"field": bound_field}


# Provenance rows name fields that are not model columns (related rows, list of tags…).
_EXTRA_FIELD_LABELS = {
    "emails": _("email addresses"),
    "email": _("email"),
    "phones": _("phone numbers"),
    "outlet": _("outlet"),
    "position": _("position"),
    "beats": _("beats"),
    "tags": _("tags"),
    "notes": _("notes"),
    "opt_out": _("opt-out"),
}


def _model_field(name: str) -> Field[object, object] | None:
    try:
        found = Contact._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, Field) else None


@register.filter
def change_field(name: str) -> str:
    """A provenance row's field name as people read it: "lawful basis", not "lawful_basis"."""
    found = _model_field(name)
    if found is not None:
        return str(found.verbose_name)
    return str(_EXTRA_FIELD_LABELS.get(name, name.replace("_", " ")))


@register.simple_tag
def change_value(name: str, value: str) -> str:
    """A provenance row's value as people read it: a choice's label rather than its key."""
    if name in _VALUE_IN_WORDS:
        return _VALUE_IN_WORDS[name](value)
    found = _model_field(name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    return value


def _codes(value: str) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def _reason(value: str) -> str:
    return str(OptOutReason(value).label) if value in OptOutReason.values else value


# Values history keeps as codes (E.164, ISO codes, keys), shown in words.
_VALUE_IN_WORDS = {
    "phones": phones.display_list,
    "languages": lambda value: locales.language_names(_codes(value)),
    "preferred_language": lambda value: locales.language_name(value) if value else "",
    "country": lambda value: locales.country_name(value) if value else "",
    "opt_out": _reason,
}
