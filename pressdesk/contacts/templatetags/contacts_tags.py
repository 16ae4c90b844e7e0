"""Template helpers of the press file."""

from __future__ import annotations

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import services
from pressdesk.contacts.models import Contact

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number as people read it (French numbers in the national format)."""
    return services.display_phone(e164) if e164 else ""


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
    found = _model_field(name)
    if found is not None and found.choices:
        return str(dict(found.flatchoices).get(value, value))
    return value
