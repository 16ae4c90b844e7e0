"""Filtered search over contacts: the contact list's filters, and saved segments.

A segment stores `ContactFilterForm.params()` as JSON and resolves through the same form, so a
segment always means what the filtered list showed when it was saved, applied to today's file.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import search_index, services
from pressdesk.contacts.models import (
    Beat,
    Contact,
    ContactEmail,
    ContactList,
    ImportJob,
    ListMembership,
    OptOut,
    Position,
    Tag,
)
from pressdesk.contacts.models.contacts import LawfulBasis, kind_choices
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib.text import normalise

# Each order is one an index gives, so a page is read off the index instead of sorting the
# whole file. SQLite already puts NULLs last in a descending order; PostgreSQL must be told.
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("sort_name", "id"),
    "-created": ("-created", "-id"),
    "last_active": ("-last_active_at", "-id"),
    "outlet": (F("sort_outlet").asc(nulls_last=True), "sort_name", "id"),
}
POSTGRES_SORTS: dict[str, tuple[Any, ...]] = {
    # Served by the contact_org_last_active_pg index (migration 0003).
    "last_active": (F("last_active_at").desc(nulls_last=True), "-id"),
}
SORT_CHOICES = [
    ("name", _("Name")),
    ("-created", _("Newest first")),
    ("last_active", _("Last active contact")),
    ("outlet", _("Outlet")),
]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class IdsField(forms.Field):
    """Ids of the organisation's beats, tags, lists or outlets.

    Unknown ids are kept rather than rejected: a segment naming a beat deleted since then must
    match nobody for that criterion, never fall back to matching everybody.
    """

    widget = forms.SelectMultiple

    def __init__(self, *, choices: Any = (), **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.choices = choices  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        if isinstance(value, str | int):
            value = [value]
        try:
            return sorted({int(v) for v in value if str(v).strip()})
        except (TypeError, ValueError) as e:
            raise forms.ValidationError(_("Choose from the list.")) from e


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def start_of(day: date) -> datetime:
    """Midnight at the start of `day`, in the current (the organisation's) time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    beat = IdsField(label=_("Beats"))
    tag = IdsField(label=_("Tags"))
    in_list = IdsField(label=_("In list"))
    outlet = IdsField(label=_("Outlet"), widget=forms.MultipleHiddenInput)
    outlet_name = forms.CharField(label=_("Outlet name"), required=False, max_length=200)
    media_type = forms.MultipleChoiceField(
        label=_("Media type"), required=False, choices=MediaType.choices
    )
    tier = forms.TypedMultipleChoiceField(
        label=_("Outlet tier"), required=False, coerce=int, choices=[(1, "1"), (2, "2"), (3, "3")]
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    language = forms.CharField(label=_("Language"), required=False, max_length=8)
    kind = forms.MultipleChoiceField(label=_("Kind"), required=False, choices=kind_choices())
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis"), required=False, choices=[("", _("Any")), *LawfulBasis.choices]
    )
    has_email = forms.ChoiceField(label=_("Has an email address"), required=False, choices=YES_NO)
    opted_out = forms.ChoiceField(label=_("On the opt-out list"), required=False, choices=YES_NO)
    active_after = _date_field(_("Last active contact on or after"))
    active_before = _date_field(_("No active contact since"))
    created_after = _date_field(_("Added on or after"))
    created_before = _date_field(_("Added before"))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    # The contacts one import created or updated ("See the contacts" after an import).
    imported = forms.IntegerField(
        label=pgettext_lazy("filter", "Import"),
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
    )

    def __init__(self, org: Organisation, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["beat"].widget.choices = [  # type: ignore[attr-defined]
            (b.pk, b.name) for b in Beat.objects.for_org(org)
        ]
        self.fields["tag"].widget.choices = [  # type: ignore[attr-defined]
            (t.pk, t.name) for t in Tag.objects.for_org(org)
        ]
        self.fields["in_list"].widget.choices = [  # type: ignore[attr-defined]
            (cl.pk, cl.name)
            for cl in ContactList.objects.for_org(org).filter(kind=ContactList.STATIC)
        ]
        self.import_job = self._import_job()

    def _import_job(self) -> ImportJob | None:
        """The import the list is narrowed to, if any (only one of this organisation)."""
        value = str(self.data.get("imported", "") if self.data else "")
        job = (
            ImportJob.objects.for_org(self.org).filter(pk=value).first()
            if value.isdigit()
            else None
        )
        if job is not None:
            # How describe() names it: the file, not the job's id.
            self.fields["imported"].choices = [(job.pk, job.filename)]  # type: ignore[attr-defined]
        return job

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country", "")).strip().upper()

    def clean_region(self) -> str:
        return str(self.cleaned_data.get("region", "")).strip()

    def clean_language(self) -> str:
        return str(self.cleaned_data.get("language", "")).strip().lower()

    def value(self, name: str) -> Any:
        """A cleaned value, or nothing for an empty or invalid field."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def params(self) -> dict[str, Any]:
        """The non-empty filters, as JSON-ready query parameters (what a segment stores)."""
        self.is_valid()
        out: dict[str, Any] = {}
        for name in self.fields:
            value = self.value(name)
            if value is None:
                continue
            if isinstance(value, list):
                out[name] = [str(v) for v in value]
            elif isinstance(value, date):
                out[name] = value.isoformat()
            else:
                out[name] = str(value)
        return out

    def describe(self) -> list[tuple[str, str]]:
        """The filters in words, for people: (label, value) pairs, sort order left out."""
        described = []
        for name, value in self.params().items():
            if name == "sort":
                continue
            field = self.fields[name]
            choices = dict(getattr(field.widget, "choices", None) or [])
            choices.update({str(k): v for k, v in getattr(field, "choices", None) or []})
            values = value if isinstance(value, list) else [value]
            text = ", ".join(str(choices.get(v, choices.get(_int(v), v))) for v in values)
            described.append((str(field.label), text))
        return described

    def is_filtered(self) -> bool:
        """Whether any filter (not just the sort order) is set."""
        return any(name != "sort" for name in self.params())

    def queryset(self, *, strict: bool = False) -> QuerySet[Contact]:
        """The contacts these filters select, sorted. With `strict`, invalid filters select none."""
        contacts: QuerySet[Contact] = Contact.objects.for_org(self.org)
        if not self.is_valid() and strict:
            return contacts.none()
        v = self.value
        if v("q"):
            contacts = search_index.restrict(contacts, v("q"), self.org)
        # Criteria on related rows are `pk IN (subquery)`, not correlated EXISTS: SQLite then
        # builds the set once instead of probing it for each of 100,000 contacts.
        if v("beat"):
            beats = Contact.beats.through.objects.filter(beat_id__in=v("beat"))
            contacts = contacts.filter(pk__in=beats.values("contact_id"))
        if v("tag"):
            tags = Contact.tags.through.objects.filter(tag_id__in=v("tag"))
            contacts = contacts.filter(pk__in=tags.values("contact_id"))
        if v("in_list"):
            members = ListMembership.objects.filter(contact_list_id__in=v("in_list"))
            contacts = contacts.filter(pk__in=members.values("contact_id"))
        contacts = self._by_outlet(contacts)
        if v("kind"):
            contacts = contacts.filter(kind__in=v("kind"))
        if v("lawful_basis"):
            contacts = contacts.filter(lawful_basis=v("lawful_basis"))
        if v("language"):
            # JSON lists: match the quoted element, on SQLite and PostgreSQL alike.
            contacts = contacts.filter(languages__icontains=f'"{v("language")}"')
        contacts = self._by_email(contacts)
        if v("active_after"):
            contacts = contacts.filter(last_active_at__gte=start_of(v("active_after")))
        if v("active_before"):
            cutoff = start_of(v("active_before"))
            contacts = contacts.filter(Q(last_active_at__lt=cutoff) | Q(last_active_at=None))
        if v("created_after"):
            contacts = contacts.filter(created__gte=start_of(v("created_after")))
        if v("created_before"):
            contacts = contacts.filter(created__lt=start_of(v("created_before")))
        if v("imported"):
            links = ImportJob.contacts.through.objects.filter(
                importjob_id=v("imported"), importjob__org=self.org
            )
            contacts = contacts.filter(pk__in=links.values("contact_id"))
        sort = v("sort") or "name"
        if connection.vendor == "postgresql":
            return contacts.order_by(*POSTGRES_SORTS.get(sort, SORTS[sort]))
        return contacts.order_by(*SORTS[sort])

    def _by_outlet(self, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
        """Outlet criteria, all met by one current position; region and country by either."""
        v = self.value
        positions = Position.objects.filter(end_date=None, outlet__org=self.org)
        outlet_filters = {
            "outlet_id__in": v("outlet"),
            "outlet__media_type__in": v("media_type"),
            "outlet__tier__in": v("tier"),
        }
        wanted = {k: value for k, value in outlet_filters.items() if value}
        if v("outlet_name"):
            wanted["outlet__name_normalised__contains"] = normalise(v("outlet_name"))
        if wanted:
            contacts = contacts.filter(pk__in=positions.filter(**wanted).values("contact_id"))
        # Region and country match exactly (the list offers the values in the file), so that
        # an index answers them; the contact's own or that of the outlet they work for. Both
        # sides are id sets, so a count never has to read the contacts' rows.
        for field in ("region", "country"):
            if v(field):
                own = Contact.objects.for_org(self.org).filter(**{field: v(field)})
                at_outlet = positions.filter(**{f"outlet__{field}": v(field)})
                either = (
                    own.order_by().values("pk").union(at_outlet.order_by().values("contact_id"))
                )
                contacts = contacts.filter(pk__in=either)
        return contacts

    def _by_email(self, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
        v = self.value
        emails = ContactEmail.objects.for_org(self.org)
        if v("has_email") == "yes":
            contacts = contacts.filter(pk__in=emails.values("contact_id"))
        elif v("has_email") == "no":
            contacts = contacts.exclude(pk__in=emails.values("contact_id"))
        if v("opted_out"):
            services.fill_address_hashes(emails)
            hashes = OptOut.objects.for_org(self.org).values("address_hash")
            opted = emails.filter(address_hash__in=hashes).values("contact_id")
            if v("opted_out") == "yes":
                contacts = contacts.filter(pk__in=opted)
            else:
                contacts = contacts.exclude(pk__in=opted)
        return contacts


def to_querydict(params: dict[str, Any]) -> QueryDict:
    """Stored filters as the QueryDict a form expects (lists become repeated parameters)."""
    data = QueryDict(mutable=True)
    for key, value in params.items():
        data.setlist(key, [str(v) for v in value] if isinstance(value, list) else [str(value)])
    return data


def segment_form(segment: ContactList) -> ContactFilterForm:
    """The filter form of a saved segment."""
    return ContactFilterForm(segment.org, to_querydict(segment.filters or {}))


def segment_contacts(segment: ContactList) -> QuerySet[Contact]:
    """A segment's members today. Filters that no longer make sense select nobody."""
    return segment_form(segment).queryset(strict=True)
