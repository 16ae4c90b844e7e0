"""Pages: the release list, a release's page (preview, versions, history), the editor,
attachments, versions and their diff, comments, translations, and the releases' settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.timezone import now
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.models import Membership
from pressdesk.accounts.roles import can
from pressdesk.lib.uploads import refused
from pressdesk.releases import approval, diffing, links, markup, services
from pressdesk.releases.editor_forms import (
    AttachmentForm,
    BoilerplateForm,
    CommentForm,
    NewReleaseForm,
    ReleaseForm,
)
from pressdesk.releases.models import (
    MediaAsset,
    Release,
    ReleaseState,
    ReleaseTemplate,
    ReleaseVersion,
    ReviewDecision,
)
from pressdesk.releases.rendering import render_release_html
from pressdesk.releases.states import ReleaseError, effective_state

PER_PAGE = 50


def filter_by_state(releases: QuerySet[Release], state: str) -> QuerySet[Release]:
    """Releases in this state as readers see it (a lifted embargo counts as published)."""
    at = now()
    lifted = Q(state=ReleaseState.SCHEDULED, visible_from__lte=at)
    if state == ReleaseState.PUBLISHED:
        return releases.filter(Q(state=state) | lifted)
    if state == ReleaseState.SCHEDULED:
        return releases.filter(state=state).exclude(lifted)
    if state in ReleaseState.values:
        return releases.filter(state=state)
    return releases


@org_view("read")
def release_list(request: OrgRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    releases = filter_by_state(
        Release.objects.for_org(request.org).select_related("current_version"), state
    ).order_by("-updated", "-pk")
    page = Paginator(releases, PER_PAGE).get_page(request.GET.get("page"))
    for release in page.object_list:
        release.shown_state = effective_state(release)  # type: ignore[attr-defined]
    return render(
        request,
        "releases/list.html",
        {
            "page": page,
            "state": state,
            "state_query": urlencode({"state": state}) if state else "",
            "states": ReleaseState.choices,
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("edit", methods=["GET", "POST"])
def release_create(request: OrgRequest) -> HttpResponse:
    initial = {"template": _default_template(request), "city": "Paris"}
    form = NewReleaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = services.create_release(
                request.org,
                services.Draft(title=data["title"]),
                template=data["template"],
                city=data["city"],
                by=request.user,
                request=request,
            )
        except ReleaseError as error:
            form.add_error(None, str(error))
        else:
            return redirect("releases:edit", org_slug=request.org.slug, release_id=release.pk)
    return render(request, "releases/editor_new.html", {"form": form})


def _default_template(request: OrgRequest) -> str:
    return ReleaseTemplate.EN if request.org.language == "en" else ReleaseTemplate.FR_FR


def release_or_404(request: OrgRequest, release_id: int) -> Release:
    """The organisation's release with this id, with what its pages show, else 404."""
    return org_object(
        request,
        Release.objects.select_related("org", "current_version", "approved_version", "translation"),
        release_id,
    )


def voided_approvals(release: Release) -> list[ReviewDecision]:
    """Sign-offs voided because the text changed after them, while the release waits for a new
    approval (shown on the release's pages)."""
    if release.state not in (ReleaseState.DRAFT, ReleaseState.IN_REVIEW):
        return []
    return list(
        ReviewDecision.objects.filter(
            release=release, decision=ReviewDecision.APPROVED, voided_at__isnull=False
        )
        .select_related("version", "decided_by")
        .order_by("-voided_at", "-pk")[:5]
    )


def history(release: Release) -> list[object]:
    """The release's audit entries, newest first."""
    return list(
        audit.for_org(release.org)
        .filter(object_type="releases.release", object_id=str(release.pk))
        .select_related("actor")
        .order_by("-created", "-pk")[:50]
    )


@org_view("read")
def release_detail(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    version = release.current_version
    role = request.membership.role
    return render(
        request,
        "releases/editor_detail.html",
        {
            "release": release,
            "version": version,
            "shown_state": effective_state(release),
            "preview": render_release_html(version, embargo_notice=True) if version else "",
            "versions": release.versions.select_related("created_by").order_by("-number"),
            "attachments": release.attachments.select_related("asset"),
            "progress": approval.progress(release),
            "voided": voided_approvals(release),
            "history": history(release),
            "public_url": links.release_url(release),
            "is_public": release.is_public(),
            "can_edit": can(role, "edit") and release.state not in services.FROZEN,
            "can_submit": can(role, "edit") and release.state == ReleaseState.DRAFT,
            "can_review": approval.may_decide(request.membership, release),
            "can_direct": can(role, "approve"),
            "other_language": services.LANGUAGE_PAIRS[ReleaseTemplate(release.template)],
        },
    )


@org_view("edit", methods=["GET", "POST"])
def release_edit(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    draft = services.draft_of(release.current_version)
    topics = ", ".join(release.topics.values_list("name", flat=True))
    form = ReleaseForm(
        request.POST or None,
        initial={**draft.__dict__, "topics": topics},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_version(
                release,
                services.Draft(
                    title=data["title"],
                    subtitle=data["subtitle"],
                    dateline=data["dateline"],
                    lead=data["lead"],
                    body=data["body"],
                ),
                by=request.user,
                request=request,
            )
            services.set_topics(release, data["topics"].split(","))
        except ReleaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": saved.number})
            return redirect("releases:edit", org_slug=request.org.slug, release_id=release.pk)
    count = release.current_version.char_count if release.current_version else 0
    return render(
        request,
        "releases/editor_form.html",
        {
            "release": release,
            "form": form,
            "frozen": release.state in services.FROZEN,
            "char_count": count,
            "count_warning": markup.count_warning(count),
            "char_min": markup.CHAR_MIN,
            "char_max": markup.CHAR_MAX,
            "char_min_shown": number_format(markup.CHAR_MIN, force_grouping=True),
            "char_max_shown": number_format(markup.CHAR_MAX, force_grouping=True),
            "voided": voided_approvals(release),
            "attachments": release.attachments.select_related("asset"),
            "attachment_form": AttachmentForm(),
        },
    )


@org_view("edit", methods=["POST"])
def attachment_add(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    if refused(request):
        messages.error(request, _("This file is too large."))
        return redirect("releases:edit", org_slug=request.org.slug, release_id=release.pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        data = form.cleaned_data
        try:
            services.attach(
                release,
                data["file"],
                by=request.user,
                title=data["title"],
                caption=data["caption"],
                credit=data["credit"],
                alt_text=data["alt_text"],
            )
            services.touch(release)
            messages.success(request, _("Attached."))
        except ReleaseError as error:
            messages.error(request, str(error))
    return redirect("releases:edit", org_slug=request.org.slug, release_id=release.pk)


@org_view("edit", methods=["POST"])
def attachment_remove(request: OrgRequest, release_id: int, asset_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    asset = org_object(request, MediaAsset, asset_id)
    if services.detach(release, asset.pk):
        services.touch(release)
        messages.success(request, _("Taken out of the release."))
    return redirect("releases:edit", org_slug=request.org.slug, release_id=release.pk)


@org_view("read")
def version_detail(request: OrgRequest, release_id: int, version_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    version = _version(release, version_id)
    previous = release.versions.filter(number__lt=version.number).order_by("-number").first()
    compare_id = request.GET.get("compare", "")
    if compare_id.isdigit():
        previous = release.versions.filter(pk=int(compare_id)).first() or previous
    return render(
        request,
        "releases/editor_version.html",
        {
            "release": release,
            "version": version,
            "previous": previous,
            "diff": diffing.versions_diff(previous, version),
            "versions": release.versions.order_by("-number"),
            "comments": version.comments.select_related("author"),
            "decisions": version.decisions.select_related("decided_by"),
            "comment_form": CommentForm(),
            "can_comment": True,
        },
    )


def _version(release: Release, version_id: int) -> ReleaseVersion:
    """One of the release's versions (the release is the organisation's already), else 404."""
    found = release.versions.filter(pk=version_id).first()
    if found is None:
        raise Http404("no such version")
    return found


@org_view("read", methods=["POST"])
def version_comment(request: OrgRequest, release_id: int, version_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    version = _version(release, version_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(version, form.cleaned_data["body"], by=request.user)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(
        "releases:version", org_slug=request.org.slug, release_id=release.pk, version_id=version.pk
    )


@org_view("edit", methods=["POST"])
def translation_create(request: OrgRequest, release_id: int) -> HttpResponse:
    release = release_or_404(request, release_id)
    if release.translation_id is not None:
        messages.error(request, _("This release already has a translation."))
        return redirect("releases:detail", org_slug=request.org.slug, release_id=release.pk)
    other = services.create_translation(release, by=request.user, request=request)
    messages.success(request, _("Translation started: write it, then submit it for review."))
    return redirect("releases:edit", org_slug=request.org.slug, release_id=other.pk)


@org_view("approve", methods=["GET", "POST"])
def release_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    members = list(
        Membership.objects.for_org(org).select_related("user").order_by("user__full_name")
    )
    forms_by_language = {
        language: BoilerplateForm(
            request.POST if request.POST.get("part") == language else None,
            prefix=language,
            initial={
                "about": markup.to_source(services.boilerplate(org, language).text_html),
                "contact": markup.to_source(
                    services.boilerplate(org, language).contact_block_html, lines=True
                ),
            },
        )
        for language in ReleaseTemplate.values
    }
    part = request.POST.get("part", "")
    if request.method == "POST" and part == "chain":
        labels = request.POST.getlist("label")
        reviewers = request.POST.getlist("reviewer")
        steps = [
            (label, int(who) if who.isdigit() else None)
            for label, who in zip(labels, reviewers + [""] * len(labels), strict=False)
        ]
        try:
            services.save_review_chain(org, steps, by=request.user, request=request)
            messages.success(request, _("Review chain saved."))
            return redirect("releases:settings", org_slug=org.slug)
        except ReleaseError as error:
            messages.error(request, str(error))
    elif request.method == "POST" and part in forms_by_language:
        form = forms_by_language[part]
        if form.is_valid():
            services.save_boilerplate(
                org,
                part,
                form.cleaned_data["about"],
                form.cleaned_data["contact"],
                by=request.user,
                request=request,
            )
            messages.success(request, _("Saved: versions saved from now on carry it."))
            return redirect("releases:settings", org_slug=org.slug)
    chain = [step for step in approval.chain(org) if step.pk is not None]
    return render(
        request,
        "releases/editor_settings.html",
        {
            "steps": chain,
            "members": members,
            "blank_steps": range(max(1, 4 - len(chain))),
            "boilerplates": [
                (value, label, forms_by_language[value]) for value, label in ReleaseTemplate.choices
            ],
        },
    )


urlpatterns: list[URLPattern] = [
    path("", release_list, name="list"),
    path("new/", release_create, name="create"),
    path("settings/", release_settings, name="settings"),
    path("<int:release_id>/", release_detail, name="detail"),
    path("<int:release_id>/edit/", release_edit, name="edit"),
    path("<int:release_id>/attachments/", attachment_add, name="attachment_add"),
    path(
        "<int:release_id>/attachments/<int:asset_id>/remove/",
        attachment_remove,
        name="attachment_remove",
    ),
    path("<int:release_id>/versions/<int:version_id>/", version_detail, name="version"),
    path(
        "<int:release_id>/versions/<int:version_id>/comment/",
        version_comment,
        name="version_comment",
    ),
    path("<int:release_id>/translation/", translation_create, name="translation"),
]
