"""The import service: a file in, contacts created, updated or merged, every skipped row explained.

Two modes. "Skip and report" (the default) imports the good rows and reports each bad one with its
line, field and reason. "All or nothing" imports nothing if any row is bad, and reports them all.
Either way every write happens in one transaction, so an import never stops half-way.

Rows on the opt-out list are never re-created: they are skipped in both modes (they are not
errors in the file, and blocking the whole import on them would push people to delete the
opt-out instead). A dry run makes the same decisions without writing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import duplicates
from pressdesk.contacts.importing.planning import CREATE, MERGE, SKIP, UPDATE, Index, Planner
from pressdesk.contacts.importing.reading import Data
from pressdesk.contacts.importing.rows import Problem, validate
from pressdesk.contacts.importing.source import Item, Source, open_source
from pressdesk.contacts.importing.writing import Writer
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.models.contacts import LawfulBasis

CHUNK = 1000
# A job keeps this many warnings; the count is always exact.
MAX_WARNINGS = 1000
# Skipped rows keep their contents (for the skipped-rows download) up to this many; past it only
# their line, field and reason, so that a file of bad rows cannot fill the memory.
MAX_SKIPPED_ROWS = 10_000
_COUNTED = {CREATE: "created", UPDATE: "updated", MERGE: "merged"}


@dataclass
class ImportOptions:
    """What the user chose for one import."""

    source_label: str = ""
    list_name: str = ""
    all_or_nothing: bool = False
    dry_run: bool = False
    mapping: dict[str, str] | None = None
    lawful_basis: str = LawfulBasis.LEGITIMATE_INTEREST
    default_region: str = "FR"
    by: User | None = None
    actor_label: str = ""
    # The wizard's import job, which remembers the contacts it wrote.
    job_id: int | None = None
    progress: Callable[[int], None] | None = None


@dataclass
class ImportResult:
    """Counts, skipped rows and warnings of one import (or dry run)."""

    filename: str
    file_format: str
    dry_run: bool = False
    rolled_back: bool = False
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "rows",
                "created",
                "updated",
                "merged",
                "skipped",
                "opted_out",
                "suggestions",
                "warnings",
            ),
            0,
        )
    )
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The contacts the import created or updated (none for a dry run or a rolled-back import).
    contact_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form printed by `pressdesk contacts import --json`."""
        return {
            "file": self.filename,
            "format": self.file_format,
            "dry_run": self.dry_run,
            "rolled_back": self.rolled_back,
            "counts": self.counts,
            "skipped": [p.as_dict() for p in self.skipped],
            "warnings": [p.as_dict() for p in self.warnings],
            "notes": self.notes,
        }


class _Rollback(Exception):
    pass


def run_import(
    org: Organisation,
    data: Data,
    filename: str,
    options: ImportOptions,
    *,
    file_format: str | None = None,
    source: Source | None = None,
) -> ImportResult:
    """Import a contact file into the organisation's press file. ReadError if it cannot be read."""
    source = source or open_source(data, filename, file_format, org=org, mapping=options.mapping)
    source.check_rows()
    result = ImportResult(filename, source.file_format, dry_run=options.dry_run)
    if options.dry_run:
        _process(org, source, options, result, writer_list=None)
    else:
        try:
            with transaction.atomic():
                failed = _process(
                    org, source, options, result, writer_list=_target_list(org, options)
                )
                if failed and options.all_or_nothing:
                    raise _Rollback
                # Imported contacts against the whole press file, beyond what rows showed.
                result.counts["suggestions"] += duplicates.find_duplicates(
                    org, among=result.contact_ids
                )
        except _Rollback:
            result.rolled_back = True
            result.contact_ids = []
            for name in ("created", "updated", "merged", "suggestions"):
                result.counts[name] = 0
        _audit(org, options, result)
    result.notes = _notes(source, result)
    return result


def find_list(org: Organisation, name: str, kind: str = ContactList.STATIC) -> ContactList | None:
    """The organisation's list of this name, case ignored (also for accented letters, which
    SQLite's iexact does not fold)."""
    wanted = name.strip().casefold()
    lists = ContactList.objects.for_org(org).filter(kind=kind).order_by("pk")
    return next((cl for cl in lists if cl.name.strip().casefold() == wanted), None)


def _target_list(org: Organisation, options: ImportOptions) -> ContactList | None:
    name = options.list_name.strip()[:200]
    if not name:
        return None
    found = find_list(org, name)
    return found or ContactList.objects.create(
        org=org, name=name, kind=ContactList.STATIC, created_by=options.by
    )


def _process(
    org: Organisation,
    source: Source,
    options: ImportOptions,
    result: ImportResult,
    writer_list: ContactList | None,
) -> bool:
    """Read, check, plan and (unless a dry run) write every row; True if some row had errors."""
    index = Index(org)
    planner = Planner(index)
    writer = None
    if not options.dry_run:
        writer = Writer(
            org,
            index,
            source_label=options.source_label or source.filename,
            lawful_basis=options.lawful_basis,
            by=options.by,
            target_list=writer_list,
            job_id=options.job_id,
        )
    columns = source.columns()
    counts = result.counts
    chunk = []
    failed = False
    for item in source.items():
        counts["rows"] += 1
        _warn(result, item.warnings)
        if item.error:
            result.skipped.append(
                Problem(item.line, "", item.error, row=_original(source, item, result))
            )
            failed = True
            continue
        record, problem = validate(
            item.line, item.fields, columns=columns, default_region=options.default_region
        )
        if problem is not None:
            problem.row = _original(source, item, result)
            result.skipped.append(problem)
            failed = True
            continue
        assert record is not None
        _warn(result, record.warnings)
        action = planner.plan(record)
        if action.kind == SKIP:
            counts["opted_out"] += 1
            result.skipped.append(
                Problem(
                    item.line,
                    "email",
                    action.reason,
                    columns.get("email", ""),
                    _original(source, item, result),
                )
            )
            continue
        counts[_COUNTED[action.kind]] += 1
        counts["suggestions"] += len(action.suggestions)
        if writer is not None and not (failed and options.all_or_nothing):
            chunk.append(action)
            if len(chunk) >= CHUNK:
                writer.flush(chunk)
                chunk = []
        if options.progress is not None:
            options.progress(counts["rows"])
    if writer is not None and chunk and not (failed and options.all_or_nothing):
        writer.flush(chunk)
    if writer is not None:
        result.contact_ids = writer.written
    counts["skipped"] = len(result.skipped)
    return failed


def _original(source: Source, item: Item, result: ImportResult) -> dict[str, str]:
    if len(result.skipped) >= MAX_SKIPPED_ROWS:
        return {}
    return source.original(item)


def _warn(result: ImportResult, warnings: list[Problem]) -> None:
    result.counts["warnings"] += len(warnings)
    room = MAX_WARNINGS - len(result.warnings)
    if room > 0:
        result.warnings += warnings[:room]


def _notes(source: Source, result: ImportResult) -> list[str]:
    notes = list(source.notes)
    not_imported = source.not_imported()
    if not_imported:
        notes.append(_("Columns not imported: %(names)s.") % {"names": ", ".join(not_imported)})
    if source.missing:
        notes.append(
            _("The mapping names columns this file does not have: %(names)s.")
            % {"names": ", ".join(source.missing)}
        )
    if result.counts["warnings"] > len(result.warnings):
        notes.append(
            _("Only the first %(shown)s of %(total)s warnings are listed.")
            % {"shown": len(result.warnings), "total": result.counts["warnings"]}
        )
    if result.counts["skipped"] > MAX_SKIPPED_ROWS:
        notes.append(
            _("The contents of skipped rows are kept for the first %(shown)s of them.")
            % {"shown": number_format(MAX_SKIPPED_ROWS, force_grouping=True)}
        )
    if result.rolled_back:
        notes.append(
            _("Nothing was imported: the file has rows with errors and you chose “all or nothing”.")
        )
    return notes


def _audit(org: Organisation, options: ImportOptions, result: ImportResult) -> None:
    audit.record(
        "contacts.import",
        org=org,
        actor=options.by,
        actor_label=options.actor_label,
        file=result.filename,
        format=result.file_format,
        source=options.source_label or result.filename,
        list=options.list_name,
        mode="all_or_nothing" if options.all_or_nothing else "skip",
        rolled_back=result.rolled_back,
        counts=result.counts,
    )
