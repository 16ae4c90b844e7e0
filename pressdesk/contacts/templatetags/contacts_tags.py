"""Template helpers of the press file."""

from __future__ import annotations

from django import template

from pressdesk.contacts import services

register = template.Library()


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number as people read it (French numbers in the national format)."""
    return services.display_phone(e164) if e164 else ""


@register.inclusion_tag("contacts/_field.html")
def field(bound_field: object) -> dict[str, object]:
    """A form field with its label, help text and errors, accessibly tied together."""
    return {"field": bound_field}
