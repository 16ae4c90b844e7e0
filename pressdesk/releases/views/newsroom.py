"""The public newsroom: pages, feeds, sitemap, downloads, subscriptions, preview links."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
