"""The merge page's form: per field, whose value stays; which addresses and numbers to keep;
for positions, beats, tags and lists, both records' or one record's only.

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


# Groups that are not a field of the contact, or whose field name is not what people call them.
_GROUP_LABELS = {"positions": _("Works at"), "lists": _("Lists")}
# The value of the "keep both" choice of a group (contact ids are never 0).
BOTH = 0


def label(name: str) -> str:
    """A contact field's name, capitalised, in the reader's language."""
    if name in _GROUP_LABELS:
        return str(_GROUP_LABELS[name])
    return str(getattr(Contact._meta.get_field(name), "verbose_name", name)).capitalize()


def group_text(name: str, items: list[Any]) -> str:
    """A group's items in words, comma-separated: "Ouest-France (rédactrice), Le Monde"."""
    return ", ".join(duplicates.item_text(name, i) for i in items)


def phone_text(phone: ContactPhone) -> str:
    """A phone number with its kind, the way the contact page shows it."""
    return phones.line(phone.label, phone.e164, phone.raw)


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
        self.group_conflicts = duplicates.group_conflicts(keep, other)
        for name in self.group_conflicts:
            self.fields[name] = forms.TypedChoiceField(
                label=label(name),
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                choices=[
                    (keep.pk, group_text(name, duplicates.group_items(keep, name))),
                    (other.pk, group_text(name, duplicates.group_items(other, name))),
                    (BOTH, _("Keep both")),
                ],
                initial=BOTH,
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
            groups={name: data[name] for name in self.group_conflicts if data.get(name)},
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
        """The side-by-side comparison: one row per field or group either contact has."""
        shown_by: list[tuple[str, str, str]] = [
            (name, shown(self.keep, name), shown(self.other, name)) for name in duplicates.CHOOSABLE
        ]
        shown_by += [
            (
                name,
                group_text(name, duplicates.group_items(self.keep, name)),
                group_text(name, duplicates.group_items(self.other, name)),
            )
            for name in duplicates.GROUPS
        ]
        return [
            {
                "label": label(name),
                "field": self[name] if name in self.fields else None,
                "group": name in duplicates.GROUPS,
                "keep": mine,
                "other": theirs,
                # Only one has it, or both the same: that value stays with nothing to choose.
                "kept": mine or theirs,
            }
            for name, mine, theirs in shown_by
            if mine or theirs
        ]


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
    for name in duplicates.GROUPS:
        if result.groups[name]:
            lines.append((label(name), group_text(name, result.groups[name])))
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


def not_kept(result: MergeResult) -> list[str]:
    """What the merged contact will not have, in words: addresses, numbers, and the positions,
    beats, tags and lists of the side not chosen."""
    dropped = [e.email for e in result.dropped_emails]
    dropped += [phone_text(p) for p in result.dropped_phones]
    for name in duplicates.GROUPS:
        kept = {duplicates.item_key(name, i) for i in result.groups[name]}
        dropped += [
            duplicates.item_text(name, i)
            for i in result.dropped_groups[name]
            if duplicates.item_key(name, i) not in kept
        ]
    return dropped
