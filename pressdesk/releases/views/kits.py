"""Pages: press kits: assembly, ZIP and PDF."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
