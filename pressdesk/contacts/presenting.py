"""Ready-made display data for the contact list, so its template stays cheap at 50 rows a page.

Django's widget templates cost about a millisecond a field and `{% url %}` a few dozen
microseconds a call; on the page people open most, both add up. The list's filters and rows are
prepared here instead, as plain values the template prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import services
from pressdesk.contacts.filters import ContactFilterForm
from pressdesk.contacts.models import Contact, Outlet
from pressdesk.lib.text import normalise

# (field, input type); select fields list their options.
TEXT_FILTERS = [("outlet_name", "text"), ("language", "text")]
# Matched exactly, so offered as the values the file holds.
KNOWN_VALUE_FILTERS = ["region", "country"]
SELECT_FILTERS = ["beat", "tag", "in_list", "media_type", "tier", "kind"]
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

    for name in SELECT_FILTERS:
        chosen = set(data.getlist(name)) if hasattr(data, "getlist") else set()
        options = [(str(v), label, str(v) in chosen) for v, label in _choices(form, name)]
        if options:
            add(name, "multiple", options=options, size=min(6, len(options)))
    for name, input_type in TEXT_FILTERS:
        add(name, "input", type=input_type, value=data.get(name, ""))
    for name in KNOWN_VALUE_FILTERS:
        chosen_one = data.get(name, "")
        values = known_values(form.org, name)
        if chosen_one and chosen_one not in values:
            values.append(chosen_one)
        options = [("", _("Any"), False)] + [(v, v, v == chosen_one) for v in values]
        add(name, "select", options=options)
    for name in CHOICE_FILTERS:
        chosen_one = data.get(name, "")
        options = [(str(v), label, str(v) == chosen_one) for v, label in _choices(form, name)]
        add(name, "select", options=options)
    for name in DATE_FILTERS:
        add(name, "input", type="date", value=data.get(name, ""))
    return fields


def known_values(org: Organisation, field: str) -> list[str]:
    """The distinct non-empty values of a contact and outlet field (region, country), sorted."""
    found: set[str] = set()
    for model in (Contact, Outlet):
        rows = model.objects.filter(org=org).exclude(**{field: ""}).order_by()  # type: ignore[attr-defined]
        found.update(rows.values_list(field, flat=True).distinct())
    return sorted(found, key=normalise)


NO_OUTLET = mark_safe('<span class="muted">—</span>')


def rows(ids: Sequence[int]) -> QuerySet[Contact]:
    """The contacts with these ids, with what their rows in the contact table show."""
    # all-orgs: the paginator takes these ids from the organisation's scoped queryset
    return Contact.objects.filter(pk__in=ids).prefetch_related(
        "emails", "beats", services.current_positions()
    )


def decorate(contacts: Iterable[Contact], org_slug: str) -> list[Contact]:
    """Give each contact (with `current`, emails and beats prefetched) what its row shows."""
    base = reverse("contacts:list", args=[org_slug])
    rows = []
    for contact in contacts:
        current = contact.current  # type: ignore[attr-defined]
        contact.url = f"{base}{contact.pk}/"  # type: ignore[attr-defined]
        links = format_html_join(
            ", ",
            '<a href="{}outlets/{}/">{}</a>',
            ((base, p.outlet_id, p.outlet.name) for p in current),
        )
        contact.outlet_links = links or NO_OUTLET  # type: ignore[attr-defined]
        contact.beat_names = ", ".join(b.name for b in contact.beats.all())  # type: ignore[attr-defined]
        emails = list(contact.emails.all())
        contact.primary_email = emails[0].email if emails else ""  # type: ignore[attr-defined]
        rows.append(contact)
    return rows
