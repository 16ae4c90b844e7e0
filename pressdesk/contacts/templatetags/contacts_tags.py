"""Template helpers of the press file."""

from __future__ import annotations

from django import template
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pressdesk.contacts import history, phones, suggestions, validation
from pressdesk.contacts.models import Contact, ContactPhone, FieldChange
from pressdesk.lib import locales, typography

register = template.Library()


@register.filter
def web_link(url: str) -> bool:
    """Whether an address may be a link: http or https only (never javascript: or data:)."""
    try:
        validation.web_url(url)
    except ValidationError:
        return False
    return True


@register.filter
def phone(e164: str) -> str:
    """A stored E.164 number as people read it (French numbers in the national format)."""
    return phones.display(e164) if e164 else ""


@register.filter
def phone_label(key: str) -> str:
    """A phone number's kind in words ("mobile" → "Portable")."""
    return phones.label_name(phones.label_key(key)) if key else ""


@register.filter
def phone_line(number: ContactPhone) -> str:
    """A number with its kind, as every page writes it: "Portable : 06 12 34 56 78"."""
    return phones.line(number.label, number.e164, number.raw)


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


@register.filter
def merge_reason(reason: str) -> str:
    """Why two contacts may be one person, in the reader's language."""
    return suggestions.in_words(reason)


@register.filter
def field_words(name: str) -> str:
    """A field's key in words, capitalised ("first_name" → "Prénom"), for rows that name one."""
    words = history.field_name(name) if name else ""
    return words[:1].upper() + words[1:]


@register.simple_tag
def change_words(change: FieldChange) -> dict[str, str]:
    """A provenance row in words: field, before, after and source; or a sentence for a merge."""
    return history.change_words(change)


@register.filter
def initials(contact: Contact) -> str:
    """A contact's initials, for the round badge that stands in for a photo: "LA" for Léa Aubert."""
    letters = [name.strip()[:1] for name in (contact.first_name, contact.last_name) if name.strip()]
    return "".join(letters).upper() or str(contact)[:1].upper()


@register.filter
def breakable_email(address: str) -> SafeString:
    """An address that may break after its "@" when the column is narrow, never inside a word."""
    local, at, domain = str(address).partition("@")
    if not at:
        return format_html("{}", address)
    return format_html("{}@<wbr>{}", local, domain)
