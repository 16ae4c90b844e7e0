"""`{% actor who %}` and `{{ entry|audit_what }}`: people and audit entries named the same way on
every page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from pressdesk.accounts import audit_words
from pressdesk.accounts.models import AuditEntry, User

register = template.Library()


@register.simple_tag
def actor(who: AuditEntry | User | None) -> SafeString:
    """The person behind an action (a user, or an audit entry's actor), their address on hover."""
    name, detail = audit_words.actor_name(who)
    if detail and detail != name:
        return format_html('<span class="actor" title="{}">{}</span>', detail, name)
    return format_html('<span class="actor">{}</span>', name)


@register.filter
def audit_what(entry: AuditEntry) -> str:
    """What an audit entry was about, in words."""
    return audit_words.what(entry)
