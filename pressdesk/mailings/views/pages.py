"""Mailings pages: pages (see pressdesk/mailings/urls.py)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
