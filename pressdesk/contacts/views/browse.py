"""Placeholder: routes are added by the module owner."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
