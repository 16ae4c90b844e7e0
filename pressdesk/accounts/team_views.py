"""An organisation's team, settings and audit log."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit, services
from pressdesk.accounts.access import org_view
from pressdesk.accounts.forms import AuditFilterForm, InviteForm, OrganisationForm, RoleForm
from pressdesk.accounts.models import AuditEntry, Invitation, Membership
from pressdesk.accounts.roles import Role, can


@org_view("read")
def team(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    members = Membership.objects.filter(org=org).select_related("user").order_by("user__full_name", "user__email")
    invitations = [i for i in Invitation.objects.filter(org=org, accepted_at=None, revoked_at=None) if i.is_usable]
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "invitations": invitations,
            "invite_form": InviteForm(),
            "roles": Role.choices,
            "can_manage": can(request.membership.role, "manage_team"),  # type: ignore[attr-defined]
        },
    )


@org_view("manage_team", methods=["POST"])
def invite(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a valid email address and role."))
        return redirect("accounts:team", org_slug=org.slug)
    try:
        services.invite(org, form.cleaned_data["email"], form.cleaned_data["role"], by=request.user, request=request)  # type: ignore[arg-type]
    except services.TeamError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("accounts:team", org_slug=org.slug)


@org_view("manage_team", methods=["POST"])
def revoke_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    invitation = get_object_or_404(Invitation, pk=invitation_id, org=org)
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record("team.invite_revoke", org=org, obj=invitation, request=request)
    return redirect("accounts:team", org_slug=org.slug)


@org_view("manage_team", methods=["POST"])
def change_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    membership = get_object_or_404(Membership, pk=membership_id, org=org)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership, form.cleaned_data["role"], by=request.user, request=request)  # type: ignore[arg-type]
        except services.TeamError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Role changed for %(name)s.") % {"name": membership.user})
    return redirect("accounts:team", org_slug=org.slug)


@org_view("manage_team", methods=["POST"])
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    membership = get_object_or_404(Membership, pk=membership_id, org=org)
    try:
        services.remove_member(membership, by=request.user, request=request)  # type: ignore[arg-type]
    except services.TeamError as e:
        messages.error(request, str(e))
    return redirect("accounts:team", org_slug=org.slug)


@org_view("manage_team", methods=["GET", "POST"])
def org_settings(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit.record("org.settings_change", org=org, obj=org, request=request, fields=form.changed_data)
        messages.success(request, _("Settings saved."))
        return redirect("accounts:org_settings", org_slug=org.slug)
    return render(request, "accounts/org_settings.html", {"form": form})


@org_view("read_audit")
def audit_log(request: HttpRequest) -> HttpResponse:
    org = request.org  # type: ignore[attr-defined]
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.filter(org=org)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action__icontains=data["action"])
        if data["actor"]:
            entries = entries.filter(Q(actor_label__icontains=data["actor"]) | Q(actor__full_name__icontains=data["actor"]))
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(created__gte=datetime.combine(data["since"], time.min, tzinfo=tz))
        if data["until"]:
            entries = entries.filter(created__lte=datetime.combine(data["until"], time.max, tzinfo=tz))
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})
