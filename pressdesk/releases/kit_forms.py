"""Forms of the press kit pages and the pitch board."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.accounts.models import Membership, Organisation
from pressdesk.contacts.models import Beat, Contact
from pressdesk.releases.models import KitItemKind, Newsroom, Release, ReleaseTemplate

LANGUAGE_CHOICES = ReleaseTemplate.choices


class KitForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a text", "Title"), max_length=300)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on what the kit is about. Markdown: **bold**, *italic*, lists."),
    )
    event_id = forms.IntegerField(
        label=_("Event number"),
        required=False,
        min_value=1,
        help_text=_("Optional: the event this kit goes with."),
    )


class PartForm(forms.Form):
    """One form for every kind of part; `clean` checks what each kind needs."""

    kind = forms.ChoiceField(label=_("Kind of part"), choices=KitItemKind.choices)
    title = forms.CharField(
        label=pgettext_lazy("heading of a text", "Title"), max_length=300, required=False
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For fact sheets, key figures, biographies and quotes. Markdown."),
    )
    release = forms.ModelChoiceField(
        label=_("Release"), queryset=Release.objects.none(), required=False
    )
    contact = forms.ModelChoiceField(
        label=_("Press contact"), queryset=Contact.objects.none(), required=False
    )
    file = forms.FileField(label=_("Image or file"), required=False)
    logo = forms.BooleanField(label=_("This image is a logo"), required=False)
    alt_text = forms.CharField(
        label=_("Description for screen readers"), max_length=300, required=False
    )
    caption = forms.CharField(label=_("Caption"), required=False)
    credit = forms.CharField(
        label=_("Credit"),
        max_length=200,
        required=False,
        help_text=_("As it must be printed: “© Jeanne Martin / AFP”."),
    )
    rights_free_until = forms.DateField(
        label=_("Rights-free until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, org: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = Release.objects.for_org(org).order_by("-created")  # type: ignore[attr-defined]
        room = Newsroom.objects.for_org(org).first()
        contacts = Contact.objects.for_org(org).order_by("sort_name", "pk")
        if room is not None and room.press_contacts.exists():
            contacts = contacts.filter(pk__in=room.press_contacts.values("pk"))
        self.fields["contact"].queryset = contacts[:500]  # type: ignore[attr-defined]


class PartEditForm(forms.Form):
    """A part's words; an image's caption, credit and rights (fields dropped when not relevant)."""

    title = forms.CharField(
        label=pgettext_lazy("heading of a text", "Title"), max_length=300, required=False
    )
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    alt_text = forms.CharField(
        label=_("Description for screen readers"), max_length=300, required=False
    )
    caption = forms.CharField(label=_("Caption"), required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)
    rights_free_until = forms.DateField(
        label=_("Rights-free until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ASSET_FIELDS = ("alt_text", "caption", "credit", "rights_free_until")

    def __init__(self, *args: Any, text: bool, asset: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not text:
            del self.fields["text"]
        if not asset:
            for name in self.ASSET_FIELDS:
                del self.fields[name]


class PublishForm(forms.Form):
    embargo_until = forms.DateTimeField(
        label=_("Embargo until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the organisation’s time zone. Leave empty to publish now."),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("heading of a text", "Title"), max_length=300)
    angle = forms.CharField(
        label=_("Angle"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What makes it news, and for whom."),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Membership.objects.none(), required=False
    )
    outlets = forms.CharField(
        label=_("Target outlets"),
        required=False,
        help_text=_("Names of outlets from the press file, separated by commas."),
    )
    target_media = forms.CharField(
        label=_("Other target media"),
        required=False,
        help_text=_("In words, when the outlet is not in the press file: “regional dailies”."),
    )
    beats = forms.ModelMultipleChoiceField(
        label=_("Beats"),
        queryset=Beat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, org: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.for_org(org).select_related("user").order_by("user__email")
        self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        self.fields["owner"].label_from_instance = lambda m: m.user.get_full_name() or m.user.email  # type: ignore[attr-defined]
        self.fields["beats"].queryset = Beat.objects.for_org(org).order_by("name")  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
