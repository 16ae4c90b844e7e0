"""Public pages reached by signed links (no login): the contact preference page."""

from django.urls import URLPattern

app_name = "contacts_public"

urlpatterns: list[URLPattern] = []
