"""The Django admin is for installation administrators (is_staff) only; organisation members
never get staff status. The audit log is read-only there too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from pressdesk.accounts import views
from pressdesk.accounts.models import AuditEntry, Invitation, Membership, Organisation, User


def admin_login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's login is the app's login: password, then the two-factor code, throttled and
    audited. Django's own admin form would take a password alone."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    next_url = next_url or reverse("admin:index")
    if request.method != "POST":
        return redirect_to_login(next_url, reverse("accounts:login"))
    # A post made to the admin's form names the address "username".
    data = request.POST.copy()
    data.setdefault("email", data.get("username", ""))
    data[REDIRECT_FIELD_NAME] = next_url
    request.POST = data  # type: ignore[assignment]
    return views.login_view(request)


admin.site.login = admin_login  # type: ignore[method-assign]


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
