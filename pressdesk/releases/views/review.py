"""Pages: the review chain: submit, sign off, publish, schedule, withdraw."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
