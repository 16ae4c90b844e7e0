"""Ready-made display data for the contact list, so its template stays cheap at 50 rows a page.

Django's widget templates cost about a millisecond a field and `{% url %}` a few dozen
microseconds a call; on the page people open most, both add up. The list's filters and rows are
prepared here instead, as plain values the template prints.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.contacts import filters
from pressdesk.contacts.filters import FACET_GROUPS, ContactFilterForm
from pressdesk.contacts.models import Contact, ContactEmail, Position
from pressdesk.contacts.paging import KeysetPage
from pressdesk.lib.text import normalise

# (field, input type); select fields list their options.
TEXT_FILTERS = [("outlet_name", "text")]
# Checkbox filters without counts, after the counted ones (FACET_GROUPS).
CHECKBOX_FILTERS = ["tag", "kind"]
# Past this many values, a checkbox filter shows its most frequent ones and folds the rest.
SHOWN_VALUES = 8
CHOICE_FILTERS = ["lawful_basis", "has_email", "opted_out"]
DATE_FILTERS = ["active_after", "active_before", "created_after", "created_before"]


def _choices(form: ContactFilterForm, name: str) -> list[tuple[Any, Any]]:
    field = form.fields[name]
    widget_choices = getattr(field.widget, "choices", None)
    return list(widget_choices or getattr(field, "choices", None) or [])


def sidebar(form: ContactFilterForm) -> list[dict[str, Any]]:
    """The filter fields as plain data: name, label, kind, value or options, errors."""
    data = form.data
    fields: list[dict[str, Any]] = []

    def add(name: str, kind: str, **extra: Any) -> None:
        fields.append(
            {
                "name": name,
                "id": f"filter-{name}",
                "label": form.fields[name].label,
                "kind": kind,
                "errors": form.errors.get(name) if form.is_bound else None,
                **extra,
            }
        )

    for name, input_type in TEXT_FILTERS:
        add(name, "input", type=input_type, value=data.get(name, ""))
    for name in CHOICE_FILTERS:
        chosen_one = data.get(name, "")
        options = [(str(v), label, str(v) == chosen_one) for v, label in _choices(form, name)]
        add(name, "select", options=options)
    for name in DATE_FILTERS:
        add(name, "input", type="date", value=data.get(name, ""))
    return fields


@dataclass
class FacetOption:
    """One value of a checkbox filter, as the sidebar shows it."""

    value: str
    label: str
    count: int | None
    checked: bool
    id: str


def _chosen(form: ContactFilterForm, name: str) -> set[str]:
    value = form.value(name) or []
    return {str(v) for v in (value if isinstance(value, list) else [value])}


def _option_id(name: str, value: str) -> str:
    # Stable across requests, so that htmx keeps the focus on a ticked box when it swaps them.
    return f"f-{name}-{hashlib.blake2s(value.encode(), digest_size=5).hexdigest()}"


def facet_groups(
    form: ContactFilterForm, counts: dict[str, dict[str, int | None]]
) -> list[dict[str, Any]]:
    """The checkbox filters: each value with its label, count and whether it is ticked.

    Values with no contact under the other filters are left out unless ticked; the most frequent
    come first (priorities in their own order), the tail folded away past SHOWN_VALUES."""
    groups = []
    for name in [*FACET_GROUPS, *CHECKBOX_FILTERS]:
        chosen = _chosen(form, name)
        counted = name in counts
        found = counts.get(name, {})
        if name in ("beat", "in_list", "tag", "kind", "media_type", "tier"):
            values = [str(v) for v, _label in _choices(form, name)]
        else:
            values = list(found)
        values += [v for v in sorted(chosen) if v not in values]
        options = [
            FacetOption(
                value=v,
                label=form.value_label(name, v),
                count=found.get(v, 0) if counted else None,
                checked=v in chosen,
                id=_option_id(name, v),
            )
            for v in values
            # Ticked, or not counted, or offered to widen a filter in use, or found.
            if v in chosen or not counted or (v in found and found[v] is None) or found.get(v)
        ]
        if name != "tier" and counted:
            options.sort(key=lambda o: (-(o.count or 0), normalise(o.label)))
        if not options:
            continue
        shown = [o for n, o in enumerate(options) if n < SHOWN_VALUES or o.checked]
        groups.append(
            {
                "name": name,
                "id": f"facet-{name}",
                "legend": form.fields[name].label,
                "shown": shown,
                "folded": [o for o in options if o not in shown],
                "errors": form.errors.get(name) if form.is_bound else None,
            }
        )
    return groups


def chips(form: ContactFilterForm, base_url: str) -> list[dict[str, str]]:
    """The filters in force, one chip per value, each with the link that removes it."""
    params = {k: v for k, v in form.params().items() if k != "sort"}
    sort = form.params().get("sort")
    out = []
    for name, value in params.items():
        label = form.fields[name].label
        for one in value if isinstance(value, list) else [value]:
            rest = dict(params)
            if isinstance(value, list) and len(value) > 1:
                rest[name] = [v for v in value if v != one]
            else:
                del rest[name]
            if sort:
                rest["sort"] = sort
            query = urlencode(rest, doseq=True)
            out.append(
                {
                    "label": str(label),
                    "value": form.value_label(name, one),
                    "url": f"{base_url}?{query}" if query else base_url,
                }
            )
    return out


def count_line(page: KeysetPage) -> str:
    """ "1 234 contacts", or "More than 30 000 contacts" when the count stopped at its cap."""
    shown = number_format(page.count, force_grouping=True)
    if page.capped:
        text = ngettext("More than %(count)s contact", "More than %(count)s contacts", page.count)
    else:
        text = ngettext("%(count)s contact", "%(count)s contacts", page.count)
    return text % {"count": shown}


def facets_note(form: ContactFilterForm) -> str:
    """Why the checkbox values show no counts, when the selection is too large to count them."""
    if not form.counts_capped():
        return ""
    return _(
        "More than %(count)s contacts match: the number of contacts per value is shown once "
        "the filters select fewer."
    ) % {"count": number_format(filters.SELECTION_CAP, force_grouping=True)}


NO_OUTLET = mark_safe('<span class="muted">—</span>')


# The columns a row of the contact table shows (its name, title and last contact).
ROW_FIELDS = ("id", "org_id", "first_name", "last_name", "job_title", "last_active_at")


def rows(ids: Sequence[int]) -> list[Contact]:
    """The contacts with these ids, with what their rows in the contact table show.

    Read as plain values, four queries in all: Django's prefetching builds a related manager
    and model instances per contact and relation, which cost more than the queries at 50 rows."""
    # all-orgs: the paginator takes these ids from the organisation's scoped queryset
    contacts = list(Contact.objects.filter(pk__in=ids).only(*ROW_FIELDS))
    found = [c.pk for c in contacts]
    emails: dict[int, str] = {}
    # all-orgs: the addresses of the contacts just read
    addresses = ContactEmail.objects.filter(contact_id__in=found)
    for pk, email in addresses.order_by("contact_id", "-is_primary", "pk").values_list(
        "contact_id", "email"
    ):
        emails.setdefault(pk, email)
    beats: dict[int, list[str]] = defaultdict(list)
    links = Contact.beats.through.objects.filter(contact_id__in=found)
    for pk, name in links.order_by("beat__name", "beat_id").values_list("contact_id", "beat__name"):
        beats[pk].append(name)
    outlets: dict[int, list[tuple[int, str]]] = defaultdict(list)
    current = Position.objects.filter(contact_id__in=found, end_date=None).order_by(
        F("start_date").desc(nulls_first=True), "pk"
    )
    for pk, outlet_id, name in current.values_list("contact_id", "outlet_id", "outlet__name"):
        outlets[pk].append((outlet_id, name))
    for contact in contacts:
        contact.primary_email = emails.get(contact.pk, "")  # type: ignore[attr-defined]
        contact.beat_names = beats[contact.pk]  # type: ignore[attr-defined]
        contact.current_outlets = outlets[contact.pk]  # type: ignore[attr-defined]
    return contacts


def decorate(contacts: Iterable[Contact], org_slug: str) -> list[Contact]:
    """Give each contact (as `rows` reads them) the links its row shows."""
    base = reverse("contacts:list", args=[org_slug])
    out = []
    for contact in contacts:
        contact.url = f"{base}{contact.pk}/"  # type: ignore[attr-defined]
        links = format_html_join(
            ", ",
            '<a href="{}outlets/{}/">{}</a>',
            ((base, outlet_id, name) for outlet_id, name in contact.current_outlets),  # type: ignore[attr-defined]
        )
        contact.outlet_links = links or NO_OUTLET  # type: ignore[attr-defined]
        out.append(contact)
    return out
