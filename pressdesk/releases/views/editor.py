"""Pages: the release list, editor, versions and diff."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
