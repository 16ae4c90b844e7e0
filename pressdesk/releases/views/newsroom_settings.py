"""Pages: the newsroom's settings (theme, press contacts, on/off), its subscribers, and each
release's embargo preview links with their openings."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.access import org_object, org_view
from pressdesk.accounts.models import AUDIT_ACTIONS
from pressdesk.accounts.roles import can
from pressdesk.contacts.models import Contact, ContactEmail
from pressdesk.lib.text import normalise_email
from pressdesk.releases import previews, subscriptions
from pressdesk.releases.feeds import absolute
from pressdesk.releases.links import release_url
from pressdesk.releases.models import (
    AssetKind,
    MediaAsset,
    Newsroom,
    PreviewLink,
    Release,
    Subscriber,
)

AUDIT_ACTIONS.setdefault("newsroom.settings_change", gettext_lazy("Newsroom settings changed"))
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024


class NewsroomForm(forms.ModelForm):  # type: ignore[type-arg]
    logo_file = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        help_text=gettext_lazy("PNG, JPEG, WebP or GIF, up to 2 MB."),
    )
    contact_addresses = forms.CharField(
        label=gettext_lazy("Press contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The e-mail addresses of people in the press file, one per line."),
    )

    class Meta:
        model = Newsroom
        fields = ["enabled", "title", "tagline", "primary_colour", "accent_colour"]
        labels = {"title": gettext_lazy("Newsroom's name")}
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.contacts: list[Contact] = []

    def _colour(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "")
        if not _COLOUR.match(value):
            raise ValidationError(_("Give a colour as #rrggbb."))
        return value.lower()

    def clean_primary_colour(self) -> str:
        return self._colour("primary_colour")

    def clean_accent_colour(self) -> str:
        return self._colour("accent_colour")

    def clean_logo_file(self) -> Any:
        upload = self.cleaned_data.get("logo_file")
        if upload is None:
            return None
        if upload.content_type not in LOGO_TYPES or upload.size > LOGO_MAX_BYTES:
            raise ValidationError(
                _("The logo must be a PNG, JPEG, WebP or GIF image of 2 MB at most.")
            )
        return upload

    def clean_contact_addresses(self) -> str:
        text: str = self.cleaned_data.get("contact_addresses", "")
        wanted = [normalise_email(a) for a in re.split(r"[\s,;]+", text) if a.strip()]
        rows = ContactEmail.objects.for_org(self.org).filter(email_normalised__in=wanted)
        found = {row.email_normalised: row.contact for row in rows.select_related("contact")}
        missing = [a for a in wanted if a not in found]
        if missing:
            raise ValidationError(
                _("Not in the press file: %(addresses)s.") % {"addresses": ", ".join(missing)}
            )
        self.contacts = list(dict.fromkeys(found[a] for a in wanted))
        return text


def _newsroom(org: Any) -> Newsroom:
    return Newsroom.objects.for_org(org).select_related("logo").first() or Newsroom(org=org)


@org_view(methods=("GET", "POST"))
def settings_page(request: HttpRequest) -> HttpResponse:
    """Theme, logo, tagline, press contacts, and whether the newsroom is online."""
    org = request.org  # type: ignore[attr-defined]
    newsroom = _newsroom(org)
    initial = {}
    if newsroom.pk:
        addresses = [c.emails.first() for c in newsroom.press_contacts.all()]
        initial["contact_addresses"] = "\n".join(e.email for e in addresses if e)
    if request.method == "POST":
        form = NewsroomForm(request.POST, request.FILES, instance=newsroom, org=org)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.org = org
            upload = form.cleaned_data.get("logo_file")
            if upload is not None:
                saved.logo = MediaAsset.objects.for_org(org).create(
                    kind=AssetKind.LOGO,
                    file=upload,
                    filename=upload.name[:200],
                    content_type=upload.content_type,
                    size=upload.size,
                    title=org.name,
                    alt_text=org.name,
                    created_by=request.user,  # type: ignore[misc]
                )
            saved.save()
            saved.press_contacts.set(form.contacts)
            audit.record(
                "newsroom.settings_change",
                org=org,
                request=request,
                obj=saved,
                changed=sorted(form.changed_data),
            )
            messages.success(request, _("The newsroom's settings are saved."))
            return redirect("releases:newsroom_settings", org.slug)
        status = 400
    else:
        form = NewsroomForm(instance=newsroom, org=org, initial=initial)
        status = 200
    ctx = {"form": form, "newsroom": newsroom, "public_url": f"/newsroom/{org.slug}/"}
    return render(request, "releases/newsroom_settings.html", ctx, status=status)


@org_view("read")
def subscribers(request: HttpRequest) -> HttpResponse:
    """The newsroom's subscribers: confirmed, waiting for confirmation, gone."""
    org = request.org  # type: ignore[attr-defined]
    rows = list(Subscriber.objects.for_org(org).order_by("-created")[:500])
    ctx = {
        "rows": rows,
        "active": subscriptions.active(org).count(),
        "total": Subscriber.objects.for_org(org).count(),
    }
    return render(request, "releases/newsroom_subscribers.html", ctx)


@org_view("export", methods=("POST",))
def subscribers_export(request: HttpRequest) -> HttpResponse:
    """The subscribers as CSV; written to the audit log."""
    org = request.org  # type: ignore[attr-defined]
    text = subscriptions.export_csv(org, by=request.user, request=request)  # type: ignore[arg-type]
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{org.slug}-subscribers.csv"'
    response["Cache-Control"] = "no-store"
    return response


@org_view(methods=("GET", "POST"))
def release_previews(request: HttpRequest, release_id: int) -> HttpResponse:
    """A release's personal preview links and who opened them; a POST makes a new one."""
    org = request.org  # type: ignore[attr-defined]
    release = org_object(request, Release, release_id)
    error = ""
    if request.method == "POST":
        if not can(request.membership.role, "send"):  # type: ignore[attr-defined]
            raise PermissionDenied
        address = normalise_email(request.POST.get("address", ""))
        row = (
            ContactEmail.objects.for_org(org)
            .filter(email_normalised=address)
            .select_related("contact")
            .first()
        )
        if row is None:
            error = _("This address is not in the press file.")
        else:
            link = previews.create(release, contact=row.contact, by=request.user, request=request)  # type: ignore[arg-type]
            messages.success(request, _("Preview link made for %(who)s.") % {"who": link.recipient})
            return redirect("releases:release_previews", org.slug, release.pk)
    links = previews.links_of(release)
    ctx = {
        "release": release,
        "links": [(link, _preview_url(org.slug, link.token)) for link in links],
        "error": error,
        "public_url": release_url(release),
    }
    return render(request, "releases/newsroom_previews.html", ctx, status=400 if error else 200)


def _preview_url(org_slug: str, token: str) -> str:
    return absolute(reverse("newsroom:preview", args=[org_slug, token]))


@org_view("send", methods=("POST",))
def preview_revoke(request: HttpRequest, previewlink_id: int) -> HttpResponse:
    """Revoke a preview link: its address answers 404 from now on."""
    org = request.org  # type: ignore[attr-defined]
    link = org_object(request, PreviewLink.objects.select_related("release"), previewlink_id)
    previews.revoke(link, by=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("The link is revoked."))
    return redirect("releases:release_previews", org.slug, link.release_id)


urlpatterns: list[URLPattern] = [
    path("newsroom/", settings_page, name="newsroom_settings"),
    path("newsroom/subscribers/", subscribers, name="newsroom_subscribers"),
    path("newsroom/subscribers/export/", subscribers_export, name="newsroom_subscribers_export"),
    path("<int:release_id>/previews/", release_previews, name="release_previews"),
    path("previews/<int:previewlink_id>/revoke/", preview_revoke, name="preview_revoke"),
]
