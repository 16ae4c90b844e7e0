"""The shell's middleware: a strict Content-Security-Policy, and no time zone left over."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API's JSON needs none; its documentation page (Swagger UI) is a page like ours.
        is_api = request.path.startswith("/api/") and not request.path.startswith("/api/v1/docs")
        if not request.path.startswith("/admin/") and not is_api:
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class ResetTimeZoneMiddleware:
    """Forget the organisation's time zone after each request.

    org_view restores it itself, but API token authentication activates it for the whole request;
    without this a thread's next request, perhaps another organisation's, would inherit it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
