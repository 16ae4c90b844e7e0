"""Pages: the newsroom's settings: theme, press contacts, subscribers."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
