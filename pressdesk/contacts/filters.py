"""Filtered search over contacts: the contact list's filters, and saved segments.

A segment stores `ContactFilterForm.params()` as JSON and resolves through the same form, so a
segment always means what the filtered list showed when it was saved, applied to today's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import facets, search_index, services
from pressdesk.contacts.models import (
    Beat,
    Contact,
    ContactEmail,
    ContactList,
    FacetKind,
    ImportJob,
    ListMembership,
    OptOut,
    Position,
    Tag,
)
from pressdesk.contacts.models.contacts import LawfulBasis, kind_choices
from pressdesk.contacts.models.outlets import MediaType, Tier
from pressdesk.contacts.paging import Key
from pressdesk.lib import locales
from pressdesk.lib.search.expressions import PkAnyOf
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
# The same orders as sort keys, for keyset pagination (contacts.paging): NULLs last.
SORT_KEYS: dict[str, tuple[Key, ...]] = {
    "name": (Key("sort_name"), Key("id")),
    "-created": (Key("created", desc=True), Key("id", desc=True)),
    "last_active": (Key("last_active_at", desc=True, nullable=True), Key("id", desc=True)),
    "outlet": (Key("sort_outlet", nullable=True), Key("sort_name"), Key("id")),
}
SORT_CHOICES = [
    ("name", _("Name")),
    ("-created", _("Newest first")),
    ("last_active", _("Last active contact")),
    ("outlet", _("Outlet")),
]
# The filters answered from stored facet values (contacts.facets): parameter → facet kind.
FACET_FILTERS = {
    "beat": FacetKind.BEAT,
    "media_type": FacetKind.MEDIA_TYPE,
    "region": FacetKind.REGION,
    "country": FacetKind.COUNTRY,
    "language": FacetKind.LANGUAGE,
    "tier": FacetKind.TIER,
}
# A filtered list reads the ids of the contacts its filters select once per request, up to this
# many: the count, the page and the facet counts then all start from that list. A larger
# selection is counted up to it ("more than 30,000 contacts") and its checkbox values are shown
# without counts: counting them would read every facet entry of a quarter of a national file
# (1.4 million entries for the 240,000 contacts of one beat in Île-de-France at 1,000,000).
SELECTION_CAP = 30_000
# Checkbox filters, shown with a count for each value.
FACET_GROUPS = [*FACET_FILTERS, "in_list"]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


@dataclass(frozen=True)
class Tally:
    """How many contacts the filters select: `n`, or more than `n` when `capped`."""

    n: int
    capped: bool = False


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


class ValuesField(forms.Field):
    """Values from the file itself (regions, country and language codes): one or several."""

    widget = forms.SelectMultiple

    def __init__(self, *, max_length: int = 100, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_length = max_length

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        cleaned = {str(v).strip() for v in value if str(v).strip()}
        if any(len(v) > self.max_length for v in cleaned):
            raise forms.ValidationError(_("Choose from the list."))
        return sorted(cleaned)


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
        label=_("Priority"), required=False, coerce=int, choices=Tier.choices
    )
    region = ValuesField(label=_("Region"))
    country = ValuesField(label=_("Country"), max_length=2)
    language = ValuesField(label=_("Language"), max_length=8)
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

    def clean_country(self) -> list[str]:
        return sorted({v.upper() for v in self.cleaned_data.get("country") or []})

    def clean_language(self) -> list[str]:
        return sorted({v.lower() for v in self.cleaned_data.get("language") or []})

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
            values = value if isinstance(value, list) else [value]
            text = ", ".join(self.value_label(name, v) for v in values)
            described.append((str(self.fields[name].label), text))
        return described

    def value_label(self, name: str, value: str) -> str:
        """One filter value in words: a beat's name, "Radio", "Royaume-Uni", "1 = must-have"."""
        if name == "country":
            return locales.country_name(value)
        if name == "language":
            return locales.language_name(value)
        field = self.fields[name]
        choices = dict(getattr(field.widget, "choices", None) or [])
        choices.update({str(k): v for k, v in getattr(field, "choices", None) or []})
        return str(choices.get(value, choices.get(_int(value), value)))

    def is_filtered(self, without: str = "") -> bool:
        """Whether any filter (not just the sort order) is set, `without` one left aside."""
        return any(name not in ("sort", without) for name in self.params())

    def sort_keys(self) -> tuple[Key, ...]:
        """The sort order's columns, for paging through it."""
        return SORT_KEYS[self.value("sort") or "name"]

    def tally(self) -> Tally:
        """How many contacts the filters select; past SELECTION_CAP, only that there are more.

        The whole file is counted exactly (an index-only count); a filtered selection is the
        list read once for the request (`_selection`)."""
        if not self.is_filtered():
            return Tally(self.queryset().count())
        ids = self._selection()
        return Tally(SELECTION_CAP, capped=True) if ids is None else Tally(len(ids))

    def facet_counts(self) -> dict[str, dict[str, int | None]]:
        """For each checkbox filter, how many of the selected contacts have each value.

        Without filters, the whole file's counts (cached: facets.whole_file_counts). With
        filters, one pass over the selected contacts' index entries; a filter already in use
        also lists its other values, without a count, to widen the choice. Past SELECTION_CAP
        selected contacts, every value is listed without a count (`counts_capped`)."""
        whole = facets.whole_file_counts(self.org)
        out: dict[str, dict[str, int | None]] = {}
        lists = ListMembership.objects.filter(
            contact_list__org=self.org, contact_list__kind=ContactList.STATIC
        )
        if self.counts_capped():
            out = {name: dict.fromkeys(whole.get(kind, {})) for name, kind in FACET_FILTERS.items()}
            out["in_list"] = {str(pk): None for pk, _n in self._list_choices()}
            return out
        if not self.is_filtered():
            out = {name: dict(whole.get(kind, {})) for name, kind in FACET_FILTERS.items()}
        else:
            ids = self._selected_ids()
            if isinstance(ids, list):
                found = facets.selection_counts(self.org, ids, FACET_FILTERS.values())
            else:
                found = facets.counts(ids, FACET_FILTERS.values())
            for name, kind in FACET_FILTERS.items():
                out[name] = dict(found.get(kind, {}))
                if self.value(name):
                    out[name] = {v: out[name].get(v) for v in whole.get(kind, {})} | out[name]
            if isinstance(ids, list):
                lists = lists.filter(PkAnyOf(ids, "contact_id"))
            else:
                lists = lists.filter(contact_id__in=ids)
        rows = lists.values_list("contact_list_id").annotate(n=Count("*")).order_by()
        out["in_list"] = {str(pk): n for pk, n in rows}
        if self.value("in_list"):
            offered: dict[str, int | None] = {str(pk): None for pk, _n in self._list_choices()}
            out["in_list"] = offered | out["in_list"]
        return out

    def counts_capped(self) -> bool:
        """Whether the filters select too many contacts for the checkbox values to be counted."""
        return self.is_filtered() and self._selection() is None

    def _selected_ids(self) -> QuerySet[Any] | list[int]:
        """The selected contacts' ids, for counting their facets: the list read once."""
        ids = self._selection()
        if ids is not None:
            return ids
        facet_ids = None if self._others() else self._facet_ids()
        return facet_ids if facet_ids is not None else self._filtered().order_by().values("pk")

    def _others(self) -> list[str]:
        """The filters in use other than the checkbox ones answered from the facet index."""
        return [n for n in self.params() if n not in FACET_FILTERS and n != "sort"]

    def _selection(self) -> list[int] | None:
        """The ids of the contacts the filters select, read once per request, sorted.

        None without filters (the whole file), or past SELECTION_CAP. When only checkbox
        filters are in use, read off the facet index alone, without touching the contacts."""
        if not hasattr(self, "_selection_read"):
            found: list[int] | None = None
            if self.is_filtered():
                facet_ids = None if self._others() else self._facet_ids()
                if facet_ids is not None:
                    rows = facet_ids.values_list("contact_id", flat=True).distinct()
                else:
                    rows = self._filtered().order_by().values_list("pk", flat=True)
                found = sorted(set(rows[: SELECTION_CAP + 1]))
                if len(found) > SELECTION_CAP:
                    found = None
            self._selection_read = found
        return self._selection_read

    def _list_choices(self) -> list[tuple[Any, Any]]:
        return list(getattr(self.fields["in_list"].widget, "choices", []))

    def queryset(self, *, strict: bool = False, without: str = "") -> QuerySet[Contact]:
        """The contacts these filters select, sorted. With `strict`, invalid filters select none.

        `without` leaves one filter out: a facet's counts are taken under the others. A
        selection of up to SELECTION_CAP contacts is read once and given as a list of ids."""
        if not self.is_valid() and strict:
            return Contact.objects.for_org(self.org).none()
        ids = None if without else self._selection()
        if ids is None:
            return self._sorted(self._filtered(without))
        return self._sorted(Contact.objects.for_org(self.org).filter(PkAnyOf(ids)))

    def _sorted(self, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
        sort = self.value("sort") or "name"
        if connection.vendor == "postgresql":
            return contacts.order_by(*POSTGRES_SORTS.get(sort, SORTS[sort]))
        return contacts.order_by(*SORTS[sort])

    def _filtered(self, without: str = "") -> QuerySet[Contact]:
        """The contacts these filters select, each filter a condition (unsorted)."""
        contacts: QuerySet[Contact] = Contact.objects.for_org(self.org)

        def v(name: str) -> Any:
            return None if name == without else self.value(name)

        if v("q"):
            contacts = search_index.restrict(contacts, v("q"), self.org)
        # Criteria on related rows are `pk IN (subquery)`, not correlated EXISTS: SQLite then
        # builds the set once instead of probing it for each of 100,000 contacts. The facet
        # values are stored per contact, so each is one index range (contacts.facets).
        ids = self._facet_ids(without)
        if ids is not None:
            contacts = contacts.filter(pk__in=ids)
        if v("tag"):
            tags = Contact.tags.through.objects.filter(tag_id__in=v("tag"))
            contacts = contacts.filter(pk__in=tags.values("contact_id"))
        if v("in_list"):
            members = ListMembership.objects.filter(contact_list_id__in=v("in_list"))
            contacts = contacts.filter(pk__in=members.values("contact_id"))
        contacts = self._by_outlet(contacts, v)
        if v("kind"):
            contacts = contacts.filter(kind__in=v("kind"))
        if v("lawful_basis"):
            contacts = contacts.filter(lawful_basis=v("lawful_basis"))
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
        return contacts

    def _facet_ids(self, without: str = "") -> QuerySet[Any] | None:
        """The ids of the contacts the checkbox filters select, from the facet index alone.

        One subquery chained through the others (contact_id IN …), so that the database
        intersects index ranges instead of joining the contacts to each of them."""
        ids = None
        for name, kind in FACET_FILTERS.items():
            if name != without and self.value(name):
                having = facets.having(self.org, kind, self.value(name))
                if ids is not None:
                    having = having.filter(contact_id__in=ids)
                ids = having.values("contact_id")
        return ids

    def _by_outlet(self, contacts: QuerySet[Contact], v: Any) -> QuerySet[Contact]:
        """The outlet itself, by id or name, both met by one current position."""
        wanted: dict[str, Any] = {}
        if v("outlet"):
            wanted["outlet_id__in"] = v("outlet")
        if v("outlet_name"):
            wanted["outlet__name_normalised__contains"] = normalise(v("outlet_name"))
        if wanted:
            positions = Position.objects.filter(end_date=None, outlet__org=self.org, **wanted)
            contacts = contacts.filter(pk__in=positions.values("contact_id"))
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
