"""Pages: the pitch board of story ideas, an idea's page, the summary for the department."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.timezone import now
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.models import Membership
from pressdesk.accounts.roles import can
from pressdesk.releases import ideas
from pressdesk.releases.kit_forms import CommentForm, IdeaForm
from pressdesk.releases.models import IdeaState, StoryIdea
from pressdesk.releases.states import ReleaseError
from pressdesk.releases.views.exports import download


def _board_redirect(request: OrgRequest, idea: StoryIdea) -> HttpResponse:
    if request.POST.get("next") == "idea":
        return redirect("releases:idea", org_slug=request.org.slug, idea_id=idea.pk)
    return redirect("releases:ideas", org_slug=request.org.slug)


@org_view("read")
def idea_board(request: OrgRequest) -> HttpResponse:
    columns = ideas.board(request.org)
    for column in columns:
        for idea in column.ideas:
            before, after = ideas.neighbours(idea.state)
            idea.moves = [  # type: ignore[attr-defined]
                (state, IdeaState(state).label) for state in (before, after) if state
            ]
    return render(
        request,
        "releases/ideas_board.html",
        {"columns": columns, "can_edit": can(request.membership.role, "edit")},
    )


def _form_data(form: IdeaForm) -> dict[str, object]:
    data = form.cleaned_data
    owner = data["owner"]
    return {
        "title": data["title"],
        "angle": data["angle"],
        "owner": owner.user if owner else None,
        "outlets": data["outlets"],
        "target_media": data["target_media"],
        "beats": data["beats"],
    }


@org_view("edit", methods=["GET", "POST"])
def idea_create(request: OrgRequest) -> HttpResponse:
    form = IdeaForm(request.org, request.POST or None)
    if request.method == "POST" and form.is_valid():
        idea = ideas.save_idea(request.org, None, **_form_data(form))  # type: ignore[arg-type]
        messages.success(request, _("Idea added to the board."))
        return redirect("releases:idea", org_slug=request.org.slug, idea_id=idea.pk)
    return _form_page(
        request, form, _("New idea"), reverse("releases:ideas", args=[request.org.slug])
    )


@org_view("edit", methods=["GET", "POST"])
def idea_edit(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = org_object(request, StoryIdea, idea_id)
    owner = Membership.objects.for_org(request.org).filter(user=idea.owner_id).first()
    form = IdeaForm(
        request.org,
        request.POST or None,
        initial={
            "title": idea.title,
            "angle": idea.angle,
            "owner": owner or None,
            "outlets": ", ".join(o.name for o in idea.target_outlets.all()),
            "target_media": idea.target_media,
            "beats": list(idea.beats.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        ideas.save_idea(request.org, idea, **_form_data(form))  # type: ignore[arg-type]
        messages.success(request, _("Changes saved."))
        return redirect("releases:idea", org_slug=request.org.slug, idea_id=idea.pk)
    heading = _("Edit %(title)s") % {"title": idea.title}
    return _form_page(
        request, form, heading, reverse("releases:idea", args=[request.org.slug, idea.pk])
    )


def _form_page(request: OrgRequest, form: Any, heading: str, cancel_url: str) -> HttpResponse:
    """The idea's form on its own page (kits' forms use the same page)."""
    return render(
        request,
        "releases/form_page.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, "active": "ideas"},
    )


@org_view("read")
def idea_detail(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = org_object(request, StoryIdea.objects.select_related("owner"), idea_id)
    before, after = ideas.neighbours(idea.state)
    return render(
        request,
        "releases/ideas_detail.html",
        {
            "idea": idea,
            "comments": idea.comments.select_related("author"),
            "releases": idea.releases.all().order_by("-created"),
            "moves": [(s, IdeaState(s).label) for s in (before, after) if s],
            "comment_form": CommentForm(),
            "can_edit": can(request.membership.role, "edit"),
        },
    )


@org_view("edit", methods=["POST"])
def idea_move(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = org_object(request, StoryIdea, idea_id)
    state = request.POST.get("state", "")
    if state not in IdeaState.values:
        return HttpResponse(status=400)
    ideas.move(idea, state)
    return _board_redirect(request, idea)


@org_view("edit", methods=["POST"])
def idea_comment(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = org_object(request, StoryIdea, idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        ideas.comment(idea, form.cleaned_data["body"], by=request.user)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write the comment first."))
    return redirect("releases:idea", org_slug=request.org.slug, idea_id=idea.pk)


@org_view("edit", methods=["POST"])
def idea_draft(request: OrgRequest, idea_id: int) -> HttpResponse:
    idea = org_object(request, StoryIdea, idea_id)
    try:
        release = ideas.to_release(idea, by=request.user, request=request)
    except ReleaseError as e:
        messages.error(request, str(e))
        return redirect("releases:idea", org_slug=request.org.slug, idea_id=idea.pk)
    messages.success(request, _("Release draft created from the idea."))
    return redirect("releases:detail", org_slug=request.org.slug, release_id=release.pk)


@org_view("read")
def idea_summary(request: OrgRequest) -> HttpResponse:
    return render(
        request,
        "releases/ideas_summary.html",
        {
            "columns": ideas.summary_columns(request.org),
            "today": now(),
            "can_export": can(request.membership.role, "export"),
        },
    )


@org_view("export", methods=["POST"])
def idea_summary_pdf(request: OrgRequest) -> HttpResponse:
    data = ideas.summary_pdf(request.org)
    audit.record("ideas.export", org=request.org, request=request, format="pdf")
    return download(data, "pdf", f"idees-{now():%Y-%m-%d}.pdf")


urlpatterns: list[URLPattern] = [
    path("ideas/", idea_board, name="ideas"),
    path("ideas/new/", idea_create, name="idea_create"),
    path("ideas/summary/", idea_summary, name="idea_summary"),
    path("ideas/summary/pdf/", idea_summary_pdf, name="idea_summary_pdf"),
    path("ideas/<int:idea_id>/", idea_detail, name="idea"),
    path("ideas/<int:idea_id>/edit/", idea_edit, name="idea_edit"),
    path("ideas/<int:idea_id>/move/", idea_move, name="idea_move"),
    path("ideas/<int:idea_id>/comments/", idea_comment, name="idea_comment"),
    path("ideas/<int:idea_id>/draft/", idea_draft, name="idea_draft"),
]
