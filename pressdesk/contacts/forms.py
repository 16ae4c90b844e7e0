"""Forms of the press file's pages. Saving goes through pressdesk.contacts.editing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import editing, services
from pressdesk.contacts.models import Contact, ContactList, Outlet
from pressdesk.contacts.models.contacts import (
    Channel,
    InteractionKind,
    LawfulBasis,
    kind_choices,
)

ONE_PER_LINE = {"rows": 3}


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    outlet = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        required=False,
        help_text=_("Where they work now. A name not yet in the press file adds the outlet."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=kind_choices())
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs=ONE_PER_LINE),
        help_text=_("One per line; the first is the main one."),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs=ONE_PER_LINE),
        help_text=_("One per line, e.g. “Mobile: 06 12 34 56 78” or “+44 20 7946 0000”."),
    )
    beats = forms.CharField(
        label=_("Beats"), required=False, help_text=_("Separated by commas: énergie, climat…")
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Codes separated by commas: fr, en.")
    )
    country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO code, e.g. FR")
    )
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    social = forms.CharField(
        label=_("Social networks"),
        required=False,
        widget=forms.Textarea(attrs=ONE_PER_LINE),
        help_text=_("One per line, e.g. “mastodon: @name@example.social”."),
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred channel"), required=False, choices=[("", "—"), *Channel.choices]
    )
    lawful_basis = forms.ChoiceField(label=_("Lawful basis"), choices=LawfulBasis.choices)
    source_label = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("Where this contact comes from: a business card, their website…"),
    )
    verified = forms.BooleanField(label=_("I have checked these details today"), required=False)

    def __init__(self, *args: Any, contact: Contact | None = None, **kwargs: Any) -> None:
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(contact)
        super().__init__(*args, **kwargs)
        if contact is not None:
            # Provenance of an existing contact is kept in its history, not retyped.
            del self.fields["source_label"]

    def clean_emails(self) -> list[str]:
        return editing.clean_emails(self.cleaned_data["emails"].splitlines())

    def clean_languages(self) -> list[str]:
        return [code.lower()[:8] for code in editing.split_list(self.cleaned_data["languages"])]

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def clean_social(self) -> dict[str, str]:
        handles = {}
        for line in self.cleaned_data["social"].splitlines():
            network, sep, handle = line.partition(":")
            if not line.strip():
                continue
            if not sep or not network.strip() or not handle.strip():
                raise ValidationError(
                    _("Write “network: handle”, e.g. “bluesky: name.bsky.social”.")
                )
            handles[network.strip().lower()[:30]] = handle.strip()[:200]
        return handles

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "phones" in data:
            try:
                data["phones"] = editing.clean_phones(
                    data["phones"].splitlines(), data.get("country", "")
                )
            except ValidationError as e:
                self.add_error("phones", e)
        names = data.get("first_name") or data.get("last_name")
        if not names and not data.get("emails") and not self.has_error("emails"):
            raise ValidationError(_("Give at least a name or an email address."))
        return data

    def to_data(self) -> dict[str, Any]:
        """The cleaned values as editing.save_contact takes them."""
        data = dict(self.cleaned_data)
        data["beats"] = editing.split_list(data["beats"])
        data["tags"] = editing.split_list(data["tags"])
        data.pop("source_label", None)
        return data


def initial_for(contact: Contact) -> dict[str, Any]:
    """A contact's current values, as the form shows them."""
    current = services.current_outlet(contact)
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "job_title": contact.job_title,
        "outlet": current.name if current else "",
        "kind": contact.kind,
        "emails": "\n".join(e.email for e in contact.emails.all()),
        "phones": "\n".join(
            f"{p.label}: {p.raw}" if p.label else p.raw for p in contact.phones.all()
        ),
        "beats": ", ".join(b.name for b in contact.beats.all()),
        "tags": ", ".join(t.name for t in contact.tags.all()),
        "languages": ", ".join(contact.languages or []),
        "country": contact.country,
        "region": contact.region,
        "social": "\n".join(f"{k}: {v}" for k, v in (contact.social or {}).items()),
        "preferred_channel": contact.preferred_channel,
        "lawful_basis": contact.lawful_basis,
    }


class OutletForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    languages = forms.CharField(
        label=_("Languages"), required=False, help_text=_("Codes separated by commas: fr, en.")
    )
    feed_urls = forms.CharField(
        label=_("Feed URLs"),
        required=False,
        widget=forms.Textarea(attrs=ONE_PER_LINE),
        help_text=_("RSS or Atom, one per line."),
    )

    class Meta:
        model = Outlet
        fields = list(editing.OUTLET_FIELDS)
        widgets = {"audience_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
            self.initial["feed_urls"] = "\n".join(self.instance.feed_urls or [])

    def clean_languages(self) -> list[str]:
        return [code.lower()[:8] for code in editing.split_list(self.cleaned_data["languages"])]

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def clean_feed_urls(self) -> list[str]:
        field = forms.URLField(assume_scheme="https")
        return [
            field.clean(line.strip())
            for line in self.cleaned_data["feed_urls"].splitlines()
            if line.strip()
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


# What a person logs by hand; mailings, events and monitoring add the other kinds themselves.
MANUAL_KINDS = [
    (k.value, k.label)
    for k in (
        InteractionKind.CALL,
        InteractionKind.MEETING,
        InteractionKind.EMAIL_REPLY,
        InteractionKind.COVERAGE,
        InteractionKind.OTHER,
    )
]


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MANUAL_KINDS)
    summary = forms.CharField(label=_("Summary"), max_length=500, required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )


class ListForm(forms.ModelForm):
    class Meta:
        model = ContactList
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Segment name"), max_length=200)


class ChooseListForm(forms.Form):
    """Pick one of the organisation's static lists."""

    contact_list = forms.ModelChoiceField(label=_("List"), queryset=ContactList.objects.none())

    def __init__(self, org: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_list"].queryset = ContactList.objects.filter(  # type: ignore[attr-defined]
            org=org, kind=ContactList.STATIC
        )


class TagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=100)
