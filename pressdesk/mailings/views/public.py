"""Public mailing links, no login: unsubscribe (GET confirms, one-click POST) and tracked links.

A GET never changes anything: mail gateways and link scanners fetch every URL of a message.
The unsubscribe POST (the page's button, or a mail provider's RFC 8058 one-click POST) needs
no cookie and no CSRF token; at worst a forged one stops mail, which is all it can do. A
forged, changed or unknown token does nothing and gets the same neutral page as a real one that
no longer exists: no 500, nothing learned about who is on a mailing.
"""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from pressdesk.mailings import tracking, unsubscribe
from pressdesk.mailings.models import Recipient

UI_LANGUAGES = ("fr", "en")
# The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _language(request: HttpRequest, recipient: Recipient | None) -> str:
    chosen = request.POST.get("lang") or request.GET.get("lang") or ""
    if chosen in UI_LANGUAGES:
        return chosen
    if recipient is not None:
        language = (recipient.mailing.language or "fr")[:2]
        if language in UI_LANGUAGES:
            return language
    return "fr"


def _page(
    request: HttpRequest, template: str, ctx: dict[str, Any], recipient: Recipient | None
) -> HttpResponse:
    lang = _language(request, recipient)
    with translation.override(lang):
        response = render(request, template, {"lang": lang, **ctx})
    response["Content-Language"] = lang
    # The link is the person's key: keep it out of search engines and other sites' logs.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# RFC 8058: mail providers POST `List-Unsubscribe=One-Click` with no cookie, so no CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    recipient = unsubscribe.recipient_for(token)
    ctx: dict[str, Any] = {"token": token, "valid": recipient is not None}
    if recipient is not None:
        ctx["org"] = recipient.org
        ctx["already"] = recipient.unsubscribed_at is not None
        if request.method == "POST":
            unsubscribe.apply(
                recipient,
                source="one-click" if request.POST.get("List-Unsubscribe") else "page",
            )
            ctx["done"] = True
    return _page(request, "mailings/public/unsubscribe.html", ctx, recipient)


@never_cache
@require_GET
def click(request: HttpRequest, token: str) -> HttpResponse:
    found = tracking.read_click(token)
    if found is None:
        return _page(request, "mailings/public/unknown_link.html", {}, None)
    recipient_id, target = found
    tracking.record_click(recipient_id, target)
    response = HttpResponseRedirect(target)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def pixel(request: HttpRequest, token: str) -> HttpResponse:
    recipient_id = tracking.read_open(token)
    if recipient_id is not None:
        tracking.record_open(recipient_id)
    return HttpResponse(PIXEL, content_type="image/gif")


urlpatterns: list[URLPattern] = [
    path("u/<str:token>/", unsubscribe_page, name="unsubscribe"),
    path("c/<str:token>/", click, name="click"),
    path("o/<str:token>.gif", pixel, name="open"),
]
