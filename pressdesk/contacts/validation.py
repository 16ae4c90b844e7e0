"""The checks every way into the press file shares: the edit forms, the API and imports.

Languages are ISO 639-1 codes, social networks are plain names with handles on one line, and web
addresses are http or https. What one path refuses, the others refuse too: a value that reaches
the database through the API ends up in exports (a vCard line break would add a property or a
whole card) and in pages (a `javascript:` link runs script when clicked).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from pressdesk.lib.locales import is_language

NETWORK_MAX = 30
HANDLE_MAX = 200
URL_MAX = 500
_NETWORK = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_WEB_URL = URLValidator(schemes=["http", "https"])


def has_control_characters(text: str) -> bool:
    """Whether the text holds line breaks, tabs or other control or separator characters."""
    return any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in text)


def languages(codes: Iterable[str]) -> list[str]:
    """Two-letter ISO 639-1 codes, lower case, each once; ValidationError names a bad one."""
    found: list[str] = []
    for raw in codes:
        code = str(raw).strip().lower()
        if not code:
            continue
        if not is_language(code):
            raise ValidationError(
                _("“%(value)s” is not a two-letter language code (such as fr or en).")
                % {"value": _shown(code)},
                code="language",
            )
        if code not in found:
            found.append(code)
    return found


def social(handles: dict[str, str]) -> dict[str, str]:
    """Network names (lower case letters, digits, . _ -) with their handles, each on one line."""
    checked: dict[str, str] = {}
    for raw_network, raw_handle in handles.items():
        network = str(raw_network).strip().lower()
        handle = str(raw_handle).strip()
        if not network or len(network) > NETWORK_MAX or not _NETWORK.match(network):
            raise ValidationError(
                _("“%(value)s” is not a social network name: use letters, digits, dots or dashes.")
                % {"value": _shown(network)},
                code="network",
            )
        if not handle:
            continue
        if len(handle) > HANDLE_MAX or has_control_characters(handle):
            raise ValidationError(
                _("The %(network)s handle must fit on one line of at most %(limit)s characters.")
                % {"network": network, "limit": HANDLE_MAX},
                code="handle",
            )
        checked[network] = handle
    return checked


def social_handle(text: str) -> str:
    """A handle read from a file, with control characters and line breaks turned into spaces."""
    cleaned = "".join(" " if has_control_characters(c) else c for c in text)
    return " ".join(cleaned.split())


def web_url(value: str) -> str:
    """An http or https address ("" stays ""); anything else (javascript:, data:…) is refused."""
    url = str(value).strip()
    if not url:
        return ""
    if len(url) > URL_MAX or has_control_characters(url) or any(c.isspace() for c in url):
        raise ValidationError(_web_url_error(url), code="url")
    try:
        _WEB_URL(url)
    except ValidationError as e:
        raise ValidationError(_web_url_error(url), code="url") from e
    return url


def check_web_url(value: str) -> None:
    """web_url() as a form field validator."""
    web_url(value)


def web_urls(values: Iterable[str]) -> list[str]:
    """Several web addresses, empty ones left out."""
    return [url for url in (web_url(v) for v in values) if url]


def _web_url_error(url: str) -> str:
    return _("“%(value)s” is not a web address starting with http:// or https://.") % {
        "value": _shown(url)
    }


def _shown(value: str) -> str:
    """A refused value as an error message can show it: one line, not too long."""
    return "".join("�" if has_control_characters(c) else c for c in value)[:60]
