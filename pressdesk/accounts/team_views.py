"""An organisation's team, settings and audit log."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts import audit, services
from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.forms import AuditFilterForm, InviteForm, OrganisationForm, RoleForm
from pressdesk.accounts.models import Invitation, Membership
from pressdesk.accounts.roles import Role, can


def _to_team(request: OrgRequest) -> HttpResponse:
    return redirect("accounts:team", org_slug=request.org.slug)


@org_view("read")
def team(request: OrgRequest) -> HttpResponse:
    """The organisation's members and, for directors, invitations and role changes."""
    org = request.org
    members = (
        Membership.objects.for_org(org)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    pending = Invitation.objects.for_org(org).filter(accepted_at=None, revoked_at=None)
    return render(
        request,
        "accounts/team.html",
        {
            "members": members,
            "invitations": [i for i in pending if i.is_usable],
            "invite_form": InviteForm(),
            "roles": Role.choices,
            "can_manage": can(request.membership.role, "manage_team"),
        },
    )


@org_view("manage_team", methods=["POST"])
def invite(request: OrgRequest) -> HttpResponse:
    """Invite someone by email, with a role."""
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a valid email address and role."))
        return _to_team(request)
    email, role = form.cleaned_data["email"], form.cleaned_data["role"]
    try:
        services.invite(request.org, email, role, by=request.user, request=request)
    except services.TeamError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
    return _to_team(request)


@org_view("manage_team", methods=["POST"])
def revoke_invitation(request: OrgRequest, invitation_id: int) -> HttpResponse:
    """Make a pending invitation's link stop working."""
    invitation = org_object(request, Invitation, invitation_id)
    services.revoke_invitation(invitation, by=request.user, request=request)
    messages.success(
        request, _("The invitation to %(email)s is revoked.") % {"email": invitation.email}
    )
    return _to_team(request)


@org_view("manage_team", methods=["POST"])
def change_role(request: OrgRequest, membership_id: int) -> HttpResponse:
    """Give a member another role; the last director cannot step down."""
    membership = org_object(request, Membership.objects.select_related("user"), membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a role."))
        return _to_team(request)
    try:
        services.change_role(
            membership, form.cleaned_data["role"], by=request.user, request=request
        )
    except services.TeamError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Role changed for %(name)s.") % {"name": membership.user})
    return _to_team(request)


@org_view("manage_team", methods=["POST"])
def remove_member(request: OrgRequest, membership_id: int) -> HttpResponse:
    """Remove a member from the team; the last director cannot be removed."""
    membership = org_object(request, Membership.objects.select_related("user"), membership_id)
    try:
        services.remove_member(membership, by=request.user, request=request)
    except services.TeamError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request, _("%(name)s is no longer in the team.") % {"name": membership.user}
        )
        if membership.user_id == request.user.pk:
            return redirect("home")  # someone who left the team cannot see its page
    return _to_team(request)


@org_view("manage_team", methods=["GET", "POST"])
def org_settings(request: OrgRequest) -> HttpResponse:
    """The organisation's name, time zone, language and legal identity (printed in mails)."""
    org = request.org
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        services.save_settings(form, request=request)
        messages.success(request, _("Settings saved."))
        return redirect("accounts:org_settings", org_slug=org.slug)
    return render(request, "accounts/org_settings.html", {"form": form})


@org_view("read_audit")
def audit_log(request: OrgRequest) -> HttpResponse:
    """The organisation's audit log, filtered by action, person and dates."""
    entries = audit.for_org(request.org)
    seen = entries.order_by().values_list("action", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, seen=seen)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["actor"]:
            entries = entries.filter(
                Q(actor_label__icontains=data["actor"])
                | Q(actor__full_name__icontains=data["actor"])
            )
        # Dates are the organisation's days (org_view activated its time zone).
        tz = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(created__gte=datetime.combine(data["since"], time.min, tz))
        if data["until"]:
            entries = entries.filter(created__lte=datetime.combine(data["until"], time.max, tz))
    page = Paginator(entries.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "accounts/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )
