"""A strict Content-Security-Policy: our own scripts and styles only, nothing inline."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
