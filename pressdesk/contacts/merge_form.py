"""The merge page's form: per field, whose value stays; which addresses and numbers to keep.

The form is built from the two contacts as they are now, and carries a version of them: a merge
confirmed after one of them changed is refused, so nobody merges values they have not seen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from pressdesk.contacts import duplicates, phones
from pressdesk.contacts.duplicates import MergeChoices, MergeResult, version
from pressdesk.contacts.models import Contact, ContactEmail, ContactPhone
from pressdesk.contacts.preferences import FORMATS
from pressdesk.lib import locales

_FORMATS = dict(FORMATS)


def shown(contact: Contact, name: str, value: Any = None) -> str:
    """A field's value as people read it: names in words, never codes."""
    value = getattr(contact, name) if value is None else value
    if not value:
        return ""
    if name == "country":
        return locales.country_name(value)
    if name == "preferred_language":
        return locales.language_name(value)
    if name == "preferred_format":
        return str(_FORMATS.get(value, value))
    model_field = Contact._meta.get_field(name)
    choices = dict(getattr(model_field, "flatchoices", None) or [])
    return str(choices.get(value, value))


def label(name: str) -> str:
    """A contact field's name, capitalised, in the reader's language."""
    return str(getattr(Contact._meta.get_field(name), "verbose_name", name)).capitalize()


def phone_text(phone: ContactPhone) -> str:
    """A phone number formatted the way the contact page shows it."""
    return phones.display(phone.e164, phone.raw)


class MergeForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, keep: Contact, other: Contact, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep, self.other = keep, other
        self.current_version = version(keep, other)
        self.fields["version"].initial = self.current_version
        self.conflicts = duplicates.conflicts(keep, other)
        for name in self.conflicts:
            self.fields[name] = forms.TypedChoiceField(
                label=label(name),
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                choices=[(keep.pk, shown(keep, name)), (other.pk, shown(other, name))],
                initial=keep.pk,
            )
        every = duplicates.resolve(keep, other, MergeChoices())
        self.all_emails: list[ContactEmail] = every.emails
        self.all_phones: list[ContactPhone] = every.phones
        if every.emails:
            self.fields["emails"] = forms.TypedMultipleChoiceField(
                label=_("Email addresses"),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(e.pk, e.email) for e in every.emails],
                initial=[e.pk for e in every.emails],
            )
        if every.phones:
            self.fields["phones"] = forms.TypedMultipleChoiceField(
                label=_("Phone numbers"),
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(p.pk, phone_text(p)) for p in every.phones],
                initial=[p.pk for p in every.phones],
            )

    def clean_version(self) -> str:
        value = str(self.cleaned_data["version"])
        if value != self.current_version:
            raise forms.ValidationError(
                _(
                    "One of these contacts changed since this page was opened. "
                    "Check the values below, then preview the merge again."
                )
            )
        return value

    def choices(self) -> MergeChoices:
        """The person's choices, for duplicates.resolve and duplicates.merge."""
        data = self.cleaned_data
        return MergeChoices(
            values={name: data[name] for name in self.conflicts if data.get(name) is not None},
            emails=set(data.get("emails", [])) if "emails" in self.fields else None,
            phones=set(data.get("phones", [])) if "phones" in self.fields else None,
            seen=self.current_version,
        )

    def carried(self) -> list[tuple[str, str]]:
        """The choices as hidden inputs, for the preview page's confirm and back buttons."""
        pairs: list[tuple[str, str]] = [("version", self.current_version)]
        for name in self.fields:
            if name == "version":
                continue
            value = self.cleaned_data.get(name)
            values = value if isinstance(value, list) else [value]
            pairs += [(name, str(v)) for v in values if v is not None]
        return pairs

    def boxes(self) -> list[dict[str, Any]]:
        """The email and phone checkboxes, each in the column of the contact it belongs to."""
        found = []
        owners = {
            "emails": [e.contact_id for e in self.all_emails],
            "phones": [p.contact_id for p in self.all_phones],
        }
        for name, contact_ids in owners.items():
            if name not in self.fields:
                continue
            sides: dict[str, list[Any]] = {"keep": [], "other": []}
            for box, owner in zip(self[name].subwidgets, contact_ids, strict=True):
                sides["keep" if owner == self.keep.pk else "other"].append(box)
            found.append(
                {
                    "label": self.fields[name].label,
                    "field": self[name],
                    "shared": self._shared(name),
                    **sides,
                }
            )
        return found

    def _shared(self, name: str) -> list[str]:
        """The other contact's addresses or numbers the kept one already has (kept once)."""
        if name == "emails":
            mine = {e.email_normalised for e in self.keep.emails.all()}
            return [e.email for e in self.other.emails.all() if e.email_normalised in mine]
        numbers = {p.e164 or p.raw for p in self.keep.phones.all()}
        return [phone_text(p) for p in self.other.phones.all() if (p.e164 or p.raw) in numbers]

    def rows(self) -> list[dict[str, Any]]:
        """The side-by-side comparison: one row per field either contact has."""
        rows = []
        for name in duplicates.CHOOSABLE:
            mine, theirs = shown(self.keep, name), shown(self.other, name)
            if not mine and not theirs:
                continue
            rows.append(
                {
                    "label": label(name),
                    "field": self[name] if name in self.conflicts else None,
                    "keep": mine,
                    "other": theirs,
                    # Only one has it, or both the same: that value stays with nothing to choose.
                    "kept": mine or theirs,
                }
            )
        return rows


def summary(result: MergeResult) -> list[tuple[str, str]]:
    """The merged contact in words, field by field, as the preview shows it."""
    keep, other = result.keep, result.other
    lines: list[tuple[str, str]] = []
    separator = pgettext("label separator", ":")
    for name in duplicates.CHOOSABLE:
        value = shown(keep, name, result.values[name])
        if value:
            lines.append((label(name), value))
    if result.languages:
        lines.append(
            (label("languages"), ", ".join(locales.language_name(c) for c in result.languages))
        )
    if result.social:
        lines.append(
            (
                label("social"),
                ", ".join(f"{k}{separator} {v}" for k, v in sorted(result.social.items())),
            )
        )
    # As the merge does: the kept contact's positions, then the other's at other outlets.
    current = {
        c.pk: list(c.positions.select_related("outlet").filter(end_date=None))
        for c in (keep, other)
    }
    outlets = {p.outlet_id for p in current[keep.pk]}
    positions = current[keep.pk] + [p for p in current[other.pk] if p.outlet_id not in outlets]
    if positions:
        lines.append(
            (
                str(_("Works at")),
                ", ".join(
                    f"{p.outlet.name} ({p.title})" if p.title else p.outlet.name for p in positions
                ),
            )
        )
    beats = sorted({b.name for c in (keep, other) for b in c.beats.all()})
    if beats:
        lines.append((label("beats"), ", ".join(beats)))
    tags = sorted({t.name for c in (keep, other) for t in c.tags.all()})
    if tags:
        lines.append((label("tags"), ", ".join(tags)))
    lists = sorted({m.contact_list.name for c in (keep, other) for m in c.list_memberships.all()})
    if lists:
        lines.append((str(_("Lists")), ", ".join(lists)))
    notes = sum(c.notes.count() for c in (keep, other))
    exchanges = sum(c.interactions.count() for c in (keep, other))
    counted = []
    if notes:
        counted.append(ngettext("%(count)s note", "%(count)s notes", notes) % {"count": notes})
    if exchanges:
        counted.append(
            ngettext("%(count)s exchange", "%(count)s exchanges", exchanges) % {"count": exchanges}
        )
    if counted:
        lines.append((str(_("Notes and exchanges")), ", ".join(counted)))
    return lines
