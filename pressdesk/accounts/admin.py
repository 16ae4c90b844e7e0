"""The Django admin is for installation administrators (is_staff) only; organisation members
never get staff status. The audit log is read-only there too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from pressdesk.accounts.models import AuditEntry, Invitation, Membership, Organisation, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_staff", "is_active", "totp_enabled"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "totp_secret"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "timezone"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role"]
    list_filter = ["org", "role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "org", "role", "created", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created", "org", "actor_label", "action", "object_label"]
    list_filter = ["org", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
