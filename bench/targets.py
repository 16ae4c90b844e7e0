"""The application code the benchmarks measure, found in one place.

Each function returns the app's public entry point for one benchmark. When the app does not
provide it (yet), it says so: `describe()` then names the stand-in, so that no stand-in figure
is ever mistaken for the app's.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

_USED: dict[str, str] = {}


def describe(what: str) -> str:
    """Which implementation a benchmark measured: the app's function, or a stand-in."""
    return _USED.get(what, "?")


def _find(module: str, name: str) -> Any | None:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def quick_search() -> Callable[[Any, str, int], list[Any]]:
    """search(org, text, limit) -> the first page of contacts for a quick search, best first.

    The app's `search_index.search()` gives the ranked ids and the count; the contacts of the
    page are then fetched, as the search box's results show them.
    """
    from pressdesk.contacts.models import Contact

    app_search = _find("pressdesk.contacts.search_index", "search")
    if app_search is None:
        raise Missing("pressdesk.contacts.search_index.search() is not there yet")

    def run(org: Any, text: str, limit: int) -> list[Any]:
        hits = app_search(org, text, limit=limit)
        found = Contact.objects.in_bulk(hits.ids)
        return [found[i] for i in hits.ids if i in found]

    _USED["quick_search"] = "pressdesk.contacts.search_index.search + in_bulk"
    return run


def filtered_search() -> Callable[[Any, dict[str, Any], int], tuple[int, bool, list[Any]]]:
    """filter(org, params, page) -> (count, capped, first page) for the list's filter parameters.

    The app's `ContactFilterForm(org, data)`, used as the list view uses it: `tally()` (the
    count, capped past `SELECTION_CAP`) and the first page of `queryset()`. Before `tally()`
    existed, `queryset().count()`.
    """
    form_class = _find("pressdesk.contacts.filters", "ContactFilterForm")
    to_querydict = _find("pressdesk.contacts.filters", "to_querydict")
    if form_class is None or to_querydict is None:
        raise Missing("pressdesk.contacts.filters.ContactFilterForm is not there yet")

    def run(org: Any, params: dict[str, Any], page: int) -> tuple[int, bool, list[Any]]:
        form = form_class(org, to_querydict(params))
        if hasattr(form, "tally"):
            tally = form.tally()
            count, capped = tally.n, tally.capped
        else:
            count, capped = form.queryset().count(), False
        return count, capped, list(form.queryset()[:page])

    name = "pressdesk.contacts.filters.ContactFilterForm"
    _USED["filtered_search"] = (
        f"{name}.tally + queryset" if hasattr(form_class, "tally") else f"{name}.queryset + count"
    )
    return run


def list_filter_params(beat_id: int, beat_name: str, region: str) -> dict[str, Any]:
    """The contact list's query-string parameters for "this beat, this region"."""
    return {"beat": [str(beat_id)], "region": region}


def list_deep_page_params(org: Any, page: int) -> dict[str, Any]:
    """The contact list's parameters for page `page` in the default order, as "Next" links it.

    With the app's keyset pagination, the cursor of the previous page's last row (`after=`);
    without it, the page number alone.
    """
    paging = _find("pressdesk.contacts.paging", "encode")
    filters = _find("pressdesk.contacts.filters", "SORT_KEYS")
    if paging is None or filters is None:
        _USED["deep_page"] = "page number (OFFSET)"
        return {"page": str(page)}
    from pressdesk.contacts.models import Contact

    keys = filters["name"]
    last = Contact.objects.filter(org=org).order_by("sort_name", "id")
    row = last.values_list(*(k.field for k in keys))[(page - 1) * list_page_size() - 1]
    _USED["deep_page"] = "keyset cursor (after=)"
    return {"after": paging(row), "page": str(page)}


def list_page_size() -> int:
    """How many contacts the contact list shows per page."""
    for module in ("pressdesk.contacts.views.browse", "pressdesk.contacts.filters"):
        for name in ("PAGE_SIZE", "PER_PAGE", "LIST_PAGE_SIZE"):
            found = _find(module, name)
            if isinstance(found, int):
                return found
    return 50


class Missing(RuntimeError):
    """The app does not provide what this benchmark measures (yet)."""


def run_import() -> Callable[[Any, Any, Any], dict[str, Any]]:
    """import(path, org, user) -> summary counts, through the app's import service.

    `pressdesk.contacts.importing.runner.run_import`, what `pressdesk contacts import FILE` and
    the import wizard call: read, detect, check, plan (duplicates by email and fuzzy name at the
    same outlet), write in one transaction. Reading the file's bytes is inside the timing.
    """
    runner = _find("pressdesk.contacts.importing.runner", "run_import")
    options_class = _find("pressdesk.contacts.importing.runner", "ImportOptions")
    if runner is None or options_class is None:
        _USED["import"] = "missing"
        raise Missing("pressdesk.contacts.importing.runner.run_import is not there yet")

    def run(path: Any, org: Any, user: Any) -> dict[str, Any]:
        data = path.read_bytes()
        result = runner(org, data, path.name, options_class(by=user, source_label="bench"))
        return dict(result.counts)

    _USED["import"] = "pressdesk.contacts.importing.runner.run_import"
    return run


def run_export() -> Callable[[Any, Any, Any], None]:
    """export(org, user, path): every contact of the organisation, as CSV, through the app.

    `pressdesk.contacts.exporting`: `rows(org, contacts_for(org))` streamed through
    `csv_chunks()` into the file, then `record_export()` (the audit entry), as the CLI does.
    """
    module = "pressdesk.contacts.exporting"
    rows = _find(module, "rows")
    contacts_for = _find(module, "contacts_for")
    csv_chunks = _find(module, "csv_chunks")
    delimiter_for = _find(module, "delimiter_for")
    record_export = _find(module, "record_export")
    if None in (rows, contacts_for, csv_chunks, delimiter_for, record_export):
        _USED["export"] = "missing"
        raise Missing("pressdesk.contacts.exporting is not there yet")

    def run(org: Any, user: Any, path: Any) -> None:
        contacts = contacts_for(org)
        with path.open("wb") as out:
            for chunk in csv_chunks(rows(org, contacts), delimiter_for(org)):
                out.write(chunk)
        record_export(org, file_format="csv", count=contacts.count(), scope="", by=user)

    _USED["export"] = "pressdesk.contacts.exporting rows + csv_chunks"
    return run


def export_delimiter(path: Any) -> str:
    """The delimiter the app's CSV export uses."""
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","
