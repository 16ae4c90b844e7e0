"""Pages: the pitch board of story ideas."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
