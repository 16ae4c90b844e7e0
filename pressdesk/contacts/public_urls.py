"""Public pages reached by signed links (no login): the contact preference page."""

from __future__ import annotations

from django.urls import URLPattern, path

from pressdesk.contacts.views import public

app_name = "contacts_public"

urlpatterns: list[URLPattern] = [
    path("<str:token>/", public.preferences_page, name="preferences"),
    path("<str:token>/never/", public.never_contact, name="never_contact"),
    path("<str:token>/again/", public.hear_again, name="hear_again"),
    path("<str:token>/keep/", public.keep, name="keep"),
    path("<str:token>/unsubscribe/", public.unsubscribe, name="unsubscribe"),
]
