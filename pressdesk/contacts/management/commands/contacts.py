"""`pressdesk contacts import|export|search|duplicates|merge`: the press file from scripts.

Exit status: 0 when the command did its job, even if some rows were skipped (they are listed,
and with --json each has its line, field and reason); 1 when it failed: the file cannot be read,
an all-or-nothing import found errors and imported nothing, a list does not exist. 2 is argparse's
usage error.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.contacts import duplicates, exporting, services
from pressdesk.contacts.importing import ImportOptions, ImportResult, ReadError, run_import
from pressdesk.contacts.importing.headers import validate_mapping
from pressdesk.contacts.importing.reading import FileData
from pressdesk.contacts.importing.runner import find_list
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.models.contacts import LawfulBasis
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.orgs import add_org_argument, cli_actor_label, resolve_org

_SHOWN_WARNINGS = 20


class Command(TranslatedCommand):
    help = gettext_lazy("Import, export and search the press file.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        imp = actions.add_parser(
            "import", help=gettext_lazy("Import contacts from a CSV, XLSX or vCard file.")
        )
        imp.add_argument("file", help=gettext_lazy("The file to import."))
        imp.add_argument(
            "--format", choices=["csv", "xlsx", "vcard"], help=gettext_lazy("Default: detected.")
        )
        imp.add_argument(
            "--list",
            dest="list_name",
            metavar="NAME",
            help=gettext_lazy("Add everyone to this list (created if new)."),
        )
        imp.add_argument(
            "--source",
            metavar="TEXT",
            help=gettext_lazy("Where the contacts come from (default: the file name)."),
        )
        imp.add_argument(
            "--mapping",
            metavar="FILE",
            help=gettext_lazy(
                'A JSON object {"column header": "field"}; fields: see the import wizard.'
            ),
        )
        imp.add_argument(
            "--lawful-basis",
            choices=[c.value for c in LawfulBasis],
            default=LawfulBasis.LEGITIMATE_INTEREST,
            help=gettext_lazy(
                "The lawful basis recorded on new contacts (default: legitimate interest)."
            ),
        )
        imp.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Report what would happen; write nothing."),
        )
        imp.add_argument(
            "--all-or-nothing",
            action="store_true",
            help=gettext_lazy("Import nothing if any row has an error."),
        )
        imp.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print the result as JSON.")
        )
        add_org_argument(imp)

        exp = actions.add_parser(
            "export", help=gettext_lazy("Export contacts as CSV, XLSX or vCard.")
        )
        exp.add_argument("--format", choices=list(exporting.FORMATS), default=exporting.CSV)
        exp.add_argument(
            "--list", dest="list_name", metavar="NAME", help=gettext_lazy("Only this static list.")
        )
        exp.add_argument("--segment", metavar="NAME", help=gettext_lazy("Only this saved segment."))
        exp.add_argument(
            "--output", metavar="FILE", default="-", help=gettext_lazy("Default: standard output.")
        )
        exp.add_argument(
            "--delimiter", choices=[";", ",", "tab"], help=gettext_lazy("CSV separator.")
        )
        add_org_argument(exp)

        find = actions.add_parser(
            "search", help=gettext_lazy("Quick search, as in the search box.")
        )
        find.add_argument(
            "query", help=gettext_lazy("What to look for: names, outlets, beats, emails…")
        )
        find.add_argument(
            "--limit", type=int, default=20, help=gettext_lazy("At most this many (default 20).")
        )
        find.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print the result as JSON.")
        )
        add_org_argument(find)

        dup = actions.add_parser(
            "duplicates", help=gettext_lazy("Look for duplicate contacts; add merge suggestions.")
        )
        add_org_argument(dup)

        merge = actions.add_parser(
            "merge",
            help=gettext_lazy(
                "Merge a contact into another: the first is kept, the second deleted."
            ),
        )
        merge.add_argument("keep_id", type=int, metavar="KEEP_ID")
        merge.add_argument("other_id", type=int, metavar="OTHER_ID")
        merge.add_argument(
            "--prefer",
            choices=["keep", "other"],
            default="keep",
            help=gettext_lazy(
                "Whose value stays where both have a different one (default: the kept one's). "
                "Positions, beats, tags, lists, addresses and numbers of both are kept."
            ),
        )
        merge.add_argument(
            "--json", action="store_true", help=gettext_lazy("Print the result as JSON.")
        )
        add_org_argument(merge)

    def handle(self, *args: Any, **options: Any) -> None:
        org = resolve_org(options.get("org"))
        action = options["action"]
        if action == "import":
            self._import(org, options)
        elif action == "export":
            self._export(org, options)
        elif action == "search":
            self._search(org, options)
        elif action == "merge":
            self._merge(org, options)
        else:
            found = duplicates.find_duplicates(org)
            self.stdout.write(_("%(count)s new possible duplicates.") % {"count": found})

    def _import(self, org: Any, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            # Read as the rows are asked for: a file past the row limit fails early.
            data = FileData(path)
        except OSError as e:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": e.strerror}
            ) from e
        mapping = _mapping(options.get("mapping"))
        as_json = options["json"]
        bar = None
        if not as_json and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=" rows", file=sys.stderr, desc=path.name, leave=False)
        import_options = ImportOptions(
            source_label=options.get("source") or path.name,
            list_name=options.get("list_name") or "",
            all_or_nothing=options["all_or_nothing"],
            dry_run=options["dry_run"],
            mapping=mapping,
            lawful_basis=options["lawful_basis"],
            actor_label=cli_actor_label(),
            progress=(lambda n: bar.update(n - bar.n)) if bar is not None else None,
        )
        try:
            result = run_import(
                org, data, path.name, import_options, file_format=options.get("format")
            )
        except ReadError as e:
            if as_json:
                self.stdout.write(
                    json.dumps({"file": path.name, "error": str(e)}, ensure_ascii=False)
                )
            raise CommandError(str(e)) from e
        finally:
            if bar is not None:
                bar.close()
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._summary(result)
        if result.rolled_back:
            raise CommandError(
                _("Nothing was imported: %(count)s rows have errors.")
                % {"count": result.counts["skipped"]}
            )

    def _summary(self, result: ImportResult) -> None:
        c = result.counts
        write = self.stdout.write
        write(
            _("%(file)s (%(format)s): %(rows)s rows")
            % {"file": result.filename, "format": result.file_format, "rows": c["rows"]}
        )
        write("  " + _("created: %(n)s") % {"n": c["created"]})
        write("  " + _("updated: %(n)s") % {"n": c["updated"]})
        write("  " + _("merged: %(n)s") % {"n": c["merged"]})
        write(
            "  "
            + _("skipped: %(n)s (on the opt-out list: %(optout)s)")
            % {"n": c["skipped"], "optout": c["opted_out"]}
        )
        write("  " + _("possible duplicates to review: %(n)s") % {"n": c["suggestions"]})
        write("  " + _("warnings: %(n)s") % {"n": c["warnings"]})
        for p in result.skipped:
            write(
                "  "
                + _("line %(line)s, %(field)s: %(reason)s")
                % {"line": p.line, "field": p.column or p.field or "-", "reason": p.reason}
            )
        for p in result.warnings[:_SHOWN_WARNINGS]:
            write(
                "  "
                + _("warning: line %(line)s, %(field)s: %(reason)s")
                % {"line": p.line, "field": p.column or p.field or "-", "reason": p.reason}
            )
        for note in result.notes:
            write("  " + note)
        if result.dry_run:
            write(_("Dry run: nothing was written."))

    def _export(self, org: Any, options: dict[str, Any]) -> None:
        contact_list = None
        for option, kind in (("list_name", ContactList.STATIC), ("segment", ContactList.SEGMENT)):
            name = options.get(option)
            if name:
                contact_list = find_list(org, name, kind)
                if contact_list is None:
                    if kind == ContactList.STATIC:
                        raise CommandError(_("There is no list named %(name)s.") % {"name": name})
                    raise CommandError(_("There is no segment named %(name)s.") % {"name": name})
        contacts = exporting.contacts_for(org, contact_list)
        file_format = options["format"]
        delimiter = {"tab": "\t", None: exporting.delimiter_for(org)}.get(
            options.get("delimiter"), options.get("delimiter")
        )
        exporting.record_export(
            org,
            file_format=file_format,
            count=contacts.count(),
            scope=contact_list.name if contact_list else "all",
            # A path on the server says nothing to the team reading the log: only its name.
            file_name="" if options["output"] == "-" else os.path.basename(options["output"]),
            actor_label=cli_actor_label(),
        )
        output = options["output"]
        if file_format == exporting.XLSX:
            if output == "-":
                raise CommandError(
                    _("An XLSX workbook cannot go to standard output: use --output FILE.")
                )
            with open(output, "wb") as workbook:
                exporting.write_xlsx(exporting.rows(org, contacts, dates=True), workbook)
            return
        if file_format == exporting.CSV:
            chunks = exporting.csv_chunks(exporting.rows(org, contacts), delimiter or ";")
        else:
            chunks = exporting.vcard_chunks(contacts)
        if output == "-":
            for chunk in chunks:
                self.stdout.write(chunk.decode("utf-8"), ending="")
            return
        with tempfile.NamedTemporaryFile(
            "wb", dir=Path(output).resolve().parent, delete=False
        ) as handle:
            for chunk in chunks:
                handle.write(chunk)
        Path(handle.name).replace(output)

    def _merge(self, org: Any, options: dict[str, Any]) -> None:
        other_id = options["other_id"]
        try:
            kept = duplicates.merge_into(
                org,
                options["keep_id"],
                other_id,
                prefer_other=options["prefer"] == "other",
                actor_label=cli_actor_label(),
            )
        except duplicates.MergeError as e:
            raise CommandError(str(e)) from e
        if options["json"]:
            found = {
                "id": kept.pk,
                "merged_id": other_id,
                "name": kept.full_name,
                "emails": [e.email for e in kept.emails.all()],
                "phones": [p.e164 or p.raw for p in kept.phones.all()],
            }
            self.stdout.write(json.dumps(found, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Contact %(other)s merged into %(id)s (%(name)s).")
            % {"other": other_id, "id": kept.pk, "name": kept}
        )

    def _search(self, org: Any, options: dict[str, Any]) -> None:
        found, hits = services.quick_search_hits(
            org, options["query"], limit=max(1, options["limit"])
        )
        total = hits.count
        rows: list[dict[str, Any]] = []
        for contact in found:
            current = getattr(contact, "current", [])
            rows.append(
                {
                    "id": contact.pk,
                    "name": contact.full_name,
                    "emails": [e.email for e in contact.emails.all()],
                    "outlets": [p.outlet.name for p in current],
                    "title": contact.job_title,
                }
            )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"count": total, "count_capped": hits.capped, "results": rows},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for row in rows:
            parts = [row["name"] or "-", ", ".join(row["outlets"]), ", ".join(row["emails"])]
            self.stdout.write(" — ".join(p for p in parts if p))
        if hits.capped:
            line = _("%(shown)s of more than %(total)s (narrow the search)")
        else:
            line = _("%(shown)s of %(total)s")
        self.stdout.write(line % {"shown": len(rows), "total": total})


def _mapping(path: str | None) -> dict[str, str] | None:
    if not path:
        return None
    try:
        mapping = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CommandError(
            _("Cannot read the mapping %(file)s: %(error)s") % {"file": path, "error": e}
        ) from e
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise CommandError(_('The mapping must be a JSON object of "column header": "field".'))
    unknown = validate_mapping(mapping)
    if unknown:
        raise CommandError(
            _("Unknown fields in the mapping: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    return mapping
