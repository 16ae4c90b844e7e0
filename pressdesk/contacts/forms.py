"""Forms of the press file's pages. Saving goes through pressdesk.contacts.editing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pressdesk.contacts import editing, phones, services, validation
from pressdesk.contacts.models import Contact, ContactList, Outlet, Tag
from pressdesk.contacts.models.contacts import (
    Channel,
    InteractionKind,
    LawfulBasis,
    kind_choices,
)
from pressdesk.lib import locales

ONE_PER_LINE = {"rows": 3}


def _country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *locales.country_choices()]


def _other_language_choices() -> list[tuple[str, str]]:
    return [("", "—"), *locales.language_choices()]


class LanguagesField(forms.MultipleChoiceField):
    """Languages ticked by name; the common ones, plus any others already chosen."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=self.common, **kwargs)

    @staticmethod
    def common() -> list[tuple[str, str]]:
        return [(c, locales.language_name(c)) for c in locales.COMMON_LANGUAGES]

    def offer(self, codes: list[str]) -> None:
        """Also offer these (an existing record's less common languages)."""
        extra = [(c, locales.language_name(c)) for c in codes if c not in locales.COMMON_LANGUAGES]
        self.choices = [*self.common(), *extra]

    def valid_value(self, value: Any) -> bool:
        # Any language CLDR knows: the "another language" select may add one not listed.
        return locales.is_language(str(value))


class CountryField(forms.ChoiceField):
    """A country picked by name; stored as its ISO code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_country_choices, **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


class LanguagePicking(forms.Form):
    """Languages picked from lists: ticks for the common ones, a select for any other."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = CountryField(label=_("Country"), required=False)
        chosen = self.initial.get("languages") or []
        if self.is_bound:
            chosen = self.data.getlist("languages") if hasattr(self.data, "getlist") else []
        languages = self.fields["languages"]
        assert isinstance(languages, LanguagesField)
        languages.offer([c for c in chosen if locales.is_language(c)])

    def clean_other_language(self) -> str:
        code = str(self.cleaned_data.get("other_language") or "")
        if code and not locales.is_language(code):
            raise ValidationError(_("Choose a language from the list."))
        return code

    def clean_country(self) -> str:
        code = str(self.cleaned_data.get("country") or "").strip().upper()
        if code and not locales.is_country(code):
            raise ValidationError(_("Choose a country from the list."))
        return code

    def picked_languages(self, data: dict[str, Any]) -> list[str]:
        """The ticked languages and the one chosen in the select, in order, without repeats."""
        codes = [str(c).lower() for c in data.get("languages") or []]
        other = data.pop("other_language", "")
        if other and other not in codes:
            codes.append(other)
        # The checks the API and imports share (the choices above already keep to them).
        return validation.languages(codes)


def languages_field() -> LanguagesField:
    return LanguagesField(label=_("Languages"), required=False)


def other_language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Another language"), required=False, choices=_other_language_choices
    )


class ContactForm(LanguagePicking, forms.Form):
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
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separated by commas. Existing tags are suggested as you type."),
        widget=forms.TextInput(
            attrs={"list": "tag-names", "autocomplete": "off", "data-tag-picker": ""}
        ),
    )
    languages = languages_field()
    other_language = other_language_field()
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

    def __init__(
        self,
        *args: Any,
        contact: Contact | None = None,
        org: Any = None,
        **kwargs: Any,
    ) -> None:
        if contact is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(contact)
        super().__init__(*args, **kwargs)
        self.fields["country"].help_text = _("Also the default country of phone numbers.")
        if contact is not None:
            # Provenance of an existing contact is kept in its history, not retyped.
            del self.fields["source_label"]
        owner = org if org is not None else (contact.org if contact is not None else None)
        self.tag_names: list[str] = (
            list(Tag.objects.for_org(owner).order_by("name").values_list("name", flat=True))
            if owner is not None
            else []
        )

    def clean_emails(self) -> list[str]:
        return editing.clean_emails(self.cleaned_data["emails"].splitlines())

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
            handles[network.strip().lower()] = handle.strip()
        return validation.social(handles)

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
        data["languages"] = self.picked_languages(data)
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
        "phones": "\n".join(phones.line(p.label, p.e164, p.raw) for p in contact.phones.all()),
        "beats": ", ".join(b.name for b in contact.beats.all()),
        "tags": ", ".join(t.name for t in contact.tags.all()),
        "languages": list(contact.languages or []),
        "country": contact.country,
        "region": contact.region,
        "social": "\n".join(f"{k}: {v}" for k, v in (contact.social or {}).items()),
        "preferred_channel": contact.preferred_channel,
        "lawful_basis": contact.lawful_basis,
    }


class OutletForm(LanguagePicking, forms.ModelForm):
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        validators=[validation.check_web_url],
        max_length=validation.URL_MAX,
    )
    languages = languages_field()
    other_language = other_language_field()
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
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            kwargs.setdefault("initial", {})
            kwargs["initial"].setdefault("languages", list(instance.languages or []))
            kwargs["initial"].setdefault("feed_urls", "\n".join(instance.feed_urls or []))
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "media_type", "languages", "other_language", "country"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["languages"] = self.picked_languages(data)
        return data

    def clean_feed_urls(self) -> list[str]:
        field = forms.URLField(assume_scheme="https")
        return validation.web_urls(
            field.clean(line.strip())
            for line in self.cleaned_data["feed_urls"].splitlines()
            if line.strip()
        )


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
        self.fields["contact_list"].queryset = ContactList.objects.for_org(  # type: ignore[attr-defined]
            org
        ).filter(kind=ContactList.STATIC)


class TagForm(forms.Form):
    tag = forms.CharField(
        label=_("Tag"),
        max_length=100,
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )


class RenameTagForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)


class MergeTagForm(forms.Form):
    """Pick the tag another one is folded into."""

    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Tag.objects.none())

    def __init__(self, tag: Tag, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Tag.objects.for_org(tag.org).exclude(pk=tag.pk)  # type: ignore[attr-defined]
