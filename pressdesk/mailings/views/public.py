"""Public mailing links, no login: unsubscribe (GET confirms, one-click POST) and tracked links."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
