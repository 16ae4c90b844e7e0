"""Pages: press kits: assembly, ordering, publishing under an embargo, ZIP and PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.timezone import localdate, now
from django.utils.translation import gettext as _

from pressdesk.accounts.access import OrgRequest, org_object, org_view
from pressdesk.accounts.roles import can
from pressdesk.lib.uploads import refused
from pressdesk.releases import kit_export, kits, links
from pressdesk.releases.kit_forms import KitForm, PartEditForm, PartForm, PublishForm
from pressdesk.releases.markup import to_source
from pressdesk.releases.models import PressKit
from pressdesk.releases.views.exports import download


@org_view("read")
def kit_list(request: OrgRequest) -> HttpResponse:
    rows = PressKit.objects.for_org(request.org).order_by("-updated", "pk")
    at = now()
    shown = [(kit, kits.is_public(kit, at), kits.language_label(kit)) for kit in rows[:200]]
    return render(
        request,
        "releases/kits_list.html",
        {"kits": shown, "can_edit": can(request.membership.role, "edit")},
    )


@org_view("edit", methods=["GET", "POST"])
def kit_create(request: OrgRequest) -> HttpResponse:
    form = KitForm(
        request.POST or None,
        initial={"language": "en" if request.org.language == "en" else "fr-FR"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            kit = kits.create_kit(
                request.org,
                form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                intro=form.cleaned_data["intro"],
                event_id=form.cleaned_data["event_id"],
                by=request.user,
            )
        except kits.KitError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Press kit created. Now add its parts."))
            return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)
    return _form_page(
        request, form, _("New press kit"), reverse("releases:kits", args=[request.org.slug])
    )


def _editor(request: OrgRequest, kit: PressKit, part_form: PartForm | None = None) -> HttpResponse:
    role = request.membership.role
    at = now()
    return render(
        request,
        "releases/kits_detail.html",
        {
            "kit": kit,
            "parts": kits.kit_parts(kit),
            "public": kits.is_public(kit, at),
            "public_path": links.kit_path(kit),
            "language": kits.language_label(kit),
            "today": localdate(),
            "part_form": part_form or PartForm(request.org),
            "publish_form": PublishForm(initial={"embargo_until": kit.embargo_until}),
            "can_edit": can(role, "edit"),
            "can_approve": can(role, "approve"),
            "can_export": can(role, "export"),
        },
        status=400 if part_form is not None else 200,
    )


@org_view("read")
def kit_detail(request: OrgRequest, kit_id: int) -> HttpResponse:
    return _editor(request, org_object(request, PressKit, kit_id))


@org_view("edit", methods=["GET", "POST"])
def kit_settings(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    form = KitForm(
        request.POST or None,
        initial={
            "title": kit.title,
            "language": kit.language,
            "intro": to_source(kit.intro_html),
            "event_id": kit.event_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            kits.save_kit(kit, **form.cleaned_data)
        except kits.KitError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)
    heading = _("Edit %(title)s") % {"title": kit.title}
    return _form_page(
        request, form, heading, reverse("releases:kit", args=[request.org.slug, kit.pk])
    )


def _form_page(
    request: OrgRequest, form: KitForm | PartEditForm, heading: str, cancel_url: str
) -> HttpResponse:
    return render(
        request,
        "releases/form_page.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, "active": "kits"},
    )


@org_view("edit", methods=["POST"])
def part_add(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    form = PartForm(request.org, request.POST, request.FILES)
    if refused(request):
        form.add_error("file", _("This file is too large."))
        return _editor(request, kit, form)
    if not form.is_valid():
        return _editor(request, kit, form)
    data = form.cleaned_data
    try:
        asset = None
        if data["kind"] == "asset" and data["file"] is not None:
            asset = kits.store_asset(
                request.org,
                data["file"],
                by=request.user,
                logo=data["logo"],
                title=data["title"][:200],
                caption=data["caption"],
                credit=data["credit"][:200],
                alt_text=data["alt_text"][:300],
                rights_free_until=data["rights_free_until"],
            )
        kits.add_item(
            kit,
            data["kind"],
            title=data["title"],
            text=data["text"],
            release=data["release"],
            asset=asset,
            contact=data["contact"],
        )
    except kits.KitError as e:
        form.add_error(None, str(e))
        return _editor(request, kit, form)
    messages.success(request, _("Part added."))
    return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)


@org_view("edit", methods=["GET", "POST"])
def part_edit(request: OrgRequest, kit_id: int, kit_item_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    item = get_object_or_404(kit.items.select_related("asset"), pk=kit_item_id)
    asset = item.asset
    initial = {"title": item.title, "text": to_source(item.body_html)}
    if asset is not None:
        initial.update({name: getattr(asset, name) for name in PartEditForm.ASSET_FIELDS})
    form = PartEditForm(
        request.POST or None,
        initial=initial,
        text=item.kind in kits.TEXT_KINDS,
        asset=asset is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            kits.edit_item(item, title=data.pop("title"), text=data.pop("text", ""), **data)
        except kits.KitError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(reverse("releases:kit", args=[request.org.slug, kit.pk]) + "#kit-parts")
    heading = _("Edit %(title)s") % {"title": kits.KitPart(item, 0).title}
    return _form_page(
        request, form, heading, reverse("releases:kit", args=[request.org.slug, kit.pk])
    )


@org_view("edit", methods=["POST"])
def part_move(request: OrgRequest, kit_id: int, kit_item_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    item = get_object_or_404(kit.items, pk=kit_item_id)
    kits.move_item(item, -1 if request.POST.get("direction") == "up" else 1)
    return redirect(reverse("releases:kit", args=[request.org.slug, kit.pk]) + "#kit-parts")


@org_view("edit", methods=["POST"])
def part_order(request: OrgRequest, kit_id: int) -> HttpResponse:
    """Put the kit's parts in the order posted (`part` ids, as the drag and drop leaves them);
    ids of other kits are ignored. Answers with the kit page, whose list the script swaps in."""
    kit = org_object(request, PressKit, kit_id)
    ids = [int(v) for v in request.POST.getlist("part") if v.isdigit()]
    kits.reorder(kit, ids)
    return redirect(reverse("releases:kit", args=[request.org.slug, kit.pk]) + "#kit-parts")


@org_view("edit", methods=["POST"])
def part_remove(request: OrgRequest, kit_id: int, kit_item_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    item = get_object_or_404(kit.items, pk=kit_item_id)
    kits.remove_item(item)
    messages.success(request, _("Part removed."))
    return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)


@org_view("approve", methods=["POST"])
def kit_publish(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            kits.publish_kit(
                kit,
                embargo_until=form.cleaned_data["embargo_until"],
                by=request.user,
                request=request,
            )
        except kits.KitError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Press kit published."))
    else:
        messages.error(request, _("Enter the embargo as a date and a time."))
    return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)


@org_view("approve", methods=["POST"])
def kit_withdraw(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit, kit_id)
    kits.withdraw_kit(kit, by=request.user, request=request)
    messages.success(request, _("Press kit withdrawn from the newsroom."))
    return redirect("releases:kit", org_slug=request.org.slug, kit_id=kit.pk)


@org_view("export", methods=["POST"])
def kit_zip(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit.objects.select_related("org"), kit_id)
    parts = kits.kit_parts(kit)
    kit_export.record_export(kit, "zip", request=request, files=len(kit_export.zip_entries(parts)))
    response: HttpResponse = StreamingHttpResponse(  # type: ignore[assignment]
        kit_export.zip_chunks(kit, parts), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="{kit_export.zip_name(kit)}"'
    response["Cache-Control"] = "no-store"
    return response


@org_view("export", methods=["POST"])
def kit_pdf(request: OrgRequest, kit_id: int) -> HttpResponse:
    kit = org_object(request, PressKit.objects.select_related("org"), kit_id)
    data = kit_export.kit_pdf(kit, kits.kit_parts(kit))
    kit_export.record_export(kit, "pdf", request=request)
    return download(data, "pdf", kit_export.pdf_name(kit))


urlpatterns: list[URLPattern] = [
    path("kits/", kit_list, name="kits"),
    path("kits/new/", kit_create, name="kit_create"),
    path("kits/<int:kit_id>/", kit_detail, name="kit"),
    path("kits/<int:kit_id>/settings/", kit_settings, name="kit_settings"),
    path("kits/<int:kit_id>/parts/", part_add, name="kit_part_add"),
    path("kits/<int:kit_id>/parts/<int:kit_item_id>/edit/", part_edit, name="kit_part_edit"),
    path("kits/<int:kit_id>/parts/<int:kit_item_id>/move/", part_move, name="kit_part_move"),
    path("kits/<int:kit_id>/parts/order/", part_order, name="kit_part_order"),
    path("kits/<int:kit_id>/parts/<int:kit_item_id>/remove/", part_remove, name="kit_part_remove"),
    path("kits/<int:kit_id>/publish/", kit_publish, name="kit_publish"),
    path("kits/<int:kit_id>/withdraw/", kit_withdraw, name="kit_withdraw"),
    path("kits/<int:kit_id>/zip/", kit_zip, name="kit_zip"),
    path("kits/<int:kit_id>/pdf/", kit_pdf, name="kit_pdf"),
]
