"""Every system email (invitations, password resets, notices) goes through `send_templated`.

It leaves through Django's EMAIL_BACKEND. When EMAIL_URL is set, settings.py makes that the mail
engine's backend (pressdesk/mailings/backend.py), so system mail and mailings share one SMTP
configuration and one transport; the test suite keeps Django's in-memory outbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_templated(
    template: str,
    to: str,
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` in the recipient's language into a
    message (with these extra `headers`, which Django refuses if they hold a line break)."""
    context = {"site_root": settings.SITE_ROOT, "site_name": settings.SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    # Subjects are one line: a newline in one would let its text pose as a header.
    one_line = " ".join(subject.split())
    message = EmailMultiAlternatives(
        one_line, text, settings.DEFAULT_FROM_EMAIL, [to], headers=dict(headers or {})
    )
    message.attach_alternative(html, "text/html")
    return message


def send_templated(
    template: str,
    to: str,
    context: dict[str, Any],
    language: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Render `template` (see `render_templated`) and send it now."""
    render_templated(template, to, context, language, headers).send()
