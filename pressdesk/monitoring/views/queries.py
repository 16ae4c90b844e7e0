"""The query editor: watch queries by group, with syntax help and a live preview on the archive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.monitoring.models import QueryGroup, Verdict, WatchQuery

PREVIEW_LIMIT = 20


class QueryForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    group = forms.CharField(
        label=gettext_lazy("Group"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The organisation, a spokesperson, a product, a competitor …"),
    )
    expression = forms.CharField(
        label=gettext_lazy("Query"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "query-input"}),
    )
    aliases = forms.CharField(
        label=gettext_lazy("Aliases"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            'One per line, each matched as a phrase: "M. Dupont", "Mme Dupont".'
        ),
    )


def syntax_message(exc: Any) -> str:
    """A syntax error in the user's language, with its position and hint."""
    text = _("Syntax error at character %(position)s: %(message)s") % {
        "position": exc.position + 1,
        "message": exc.message,
    }
    return f"{text} {exc.hint}" if exc.hint else text


@org_view("read")
def query_list(request: OrgRequest) -> HttpResponse:
    queries = (
        WatchQuery.objects.for_org(request.org)
        .select_related("group")
        .annotate(
            relevant=Count("clippings", filter=Q(clippings__verdict=Verdict.RELEVANT)),
            irrelevant=Count("clippings", filter=Q(clippings__verdict=Verdict.IRRELEVANT)),
            total=Count("clippings"),
        )
        .order_by("group__name", "name")
    )
    return render(
        request,
        "monitoring/query_list.html",
        {"queries": queries, "can_edit": can(request.membership.role, "edit")},
    )


@org_view("edit", methods=["GET", "POST"])
def query_edit(request: OrgRequest, query_id: int | None = None) -> HttpResponse:
    from pressdesk.monitoring import watch
    from pressdesk.monitoring.query import QuerySyntaxError

    query = org_object(request, WatchQuery, query_id) if query_id else None
    initial = (
        {
            "name": query.name,
            "group": query.group.name if query.group else "",
            "expression": query.expression,
            "aliases": "\n".join(query.aliases),
        }
        if query
        else {}
    )
    form = QueryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        taken = WatchQuery.objects.for_org(request.org).filter(name=data["name"].strip())
        if query:
            taken = taken.exclude(pk=query.pk)
        if taken.exists():
            form.add_error("name", _("Another query has this name."))
        else:
            try:
                saved = watch.save(
                    request.org,
                    data["name"],
                    data["expression"],
                    group=data["group"],
                    aliases=data["aliases"].splitlines(),
                    user=request.user,
                    query=query,
                )
            except QuerySyntaxError as exc:
                form.add_error("expression", syntax_message(exc))
            else:
                messages.success(request, _("Query saved: %(name)s") % {"name": saved.name})
                return redirect("monitoring:queries", org_slug=request.org.slug)
    return render(
        request,
        "monitoring/query_form.html",
        {
            "form": form,
            "query": query,
            "groups": QueryGroup.objects.for_org(request.org).order_by("name"),
        },
        status=400 if request.method == "POST" else 200,
    )


@org_view("read", methods=["POST"])
def query_preview(request: OrgRequest) -> HttpResponse:
    """The live preview (htmx): what the draft would have caught, or its syntax error."""
    from pressdesk.monitoring import watch
    from pressdesk.monitoring.query import QuerySyntaxError

    expression = request.POST.get("expression", "").strip()
    aliases = request.POST.get("aliases", "").splitlines()
    context: dict[str, Any] = {"expression": expression}
    if expression:
        try:
            context["hits"] = watch.preview(request.org, expression, aliases, limit=PREVIEW_LIMIT)
        except QuerySyntaxError as exc:
            context["error"] = syntax_message(exc)
            context["before"] = expression[: exc.position]
            context["after"] = expression[exc.position :]
    return render(request, "monitoring/_preview.html", context)


urlpatterns: list[URLPattern] = [
    path("queries/", query_list, name="queries"),
    path("queries/new/", query_edit, name="query_new"),
    path("queries/<int:query_id>/", query_edit, name="query_edit"),
    path("queries/preview/", query_preview, name="query_preview"),
]
