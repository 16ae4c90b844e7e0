"""The press file in Django's admin, for support staff.

Deleting contacts stays in the app, where it is audit-logged and the search index follows; the
opt-out list is not here at all, because only the person may lift an entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pressdesk.contacts import editing, facets, services
from pressdesk.contacts.models import (
    Beat,
    Contact,
    ContactEmail,
    ContactList,
    ContactPhone,
    Outlet,
    Position,
    Tag,
)


class EmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0
    fields = ["email", "label", "is_primary", "bounced_at"]


class PhoneInline(admin.TabularInline):
    model = ContactPhone
    extra = 0
    fields = ["raw", "e164", "label"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ["outlet"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["__str__", "org", "kind", "source_kind", "lawful_basis", "created"]
    list_filter = ["kind", "source_kind", "lawful_basis"]
    search_fields = ["last_name", "first_name", "emails__email_normalised"]
    raw_id_fields = ["org", "created_by", "beats", "tags"]
    readonly_fields = ["search_text", "sort_name", "sort_outlet", "created", "updated"]
    inlines = [EmailInline, PhoneInline, PositionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.refresh_search([form.instance])


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "media_type", "region", "tier"]
    list_filter = ["media_type", "tier"]
    search_fields = ["name_normalised", "name"]
    raw_id_fields = ["org"]
    readonly_fields = ["name_normalised"]

    def save_model(self, request: HttpRequest, obj: Outlet, form: Any, change: bool) -> None:
        editing.save_outlet(obj.org, obj, {})
        if change:
            # The form already set the new values, so save_outlet cannot tell what changed.
            facets.refresh_outlets([obj.pk])


@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    list_display = ["name", "org", "kind", "created"]
    list_filter = ["kind"]
    raw_id_fields = ["org", "created_by"]


@admin.register(Beat, Tag)
class NameAdmin(admin.ModelAdmin):
    list_display = ["name", "org"]
    search_fields = ["name_normalised"]
    raw_id_fields = ["org"]
    readonly_fields = ["name_normalised"]
