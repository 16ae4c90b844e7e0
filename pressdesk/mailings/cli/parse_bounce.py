"""`pressdesk mailings parse-bounce FILE.eml… [--json]`: read bounces and auto-replies, no database.

Support staff run it on a message a journalist forwards; tests run it on recorded bounces. One
JSON object per file and line with --json; otherwise a few readable lines per file. A file that
cannot be read gets an `error` and makes the exit status 1, after the others are printed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.lib.typography import label_value
from pressdesk.mailings.bounces import MAX_MESSAGE_BYTES, read_bounce
from pressdesk.management import gettext_lazy

NAME = "parse-bounce"
HELP = gettext_lazy(
    "Read bounce and auto-reply messages (.eml files) and print who failed, how, and any "
    "return date or new address. Uses no database."
)


def add_arguments(parser: CommandParser) -> None:
    """FILE… and --json."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help=gettext_lazy("a message file (.eml)")
    )
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("one JSON object per file and line")
    )


def parse_file(path: str) -> dict[str, Any]:
    """One file's report as JSON-ready values, or {file, error} when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_MESSAGE_BYTES)
    except OSError as exc:
        return {"file": path, "error": exc.strerror or str(exc)}
    return {"file": path, **read_bounce(data).as_dict()}


def describe(result: dict[str, Any]) -> list[str]:
    """A file's report in the reader's language, a few lines."""
    lines = [str(Path(result["file"]))]
    if "error" in result:
        return [*lines, "  " + label_value(_("Error"), result["error"])]
    kinds = {"bounce": _("bounce"), "auto_reply": _("automatic reply"), "other": _("other")}
    lines.append("  " + label_value(_("Kind"), kinds[result["kind"]]))
    for recipient in result["recipients"]:
        verdict = _("hard") if recipient["hard"] else _("soft")
        codes = " ".join(str(c) for c in (recipient["reply_code"], recipient["status"]) if c)
        lines.append(f"  {recipient['address']} — {verdict}" + (f" ({codes})" if codes else ""))
        if recipient["reason"]:
            lines.append("    " + recipient["reason"])
    if result["new_address"]:
        lines.append("  " + label_value(_("New address"), result["new_address"]))
    if result["return_date"]:
        back = date_format(date.fromisoformat(result["return_date"]), "DATE_FORMAT")
        lines.append("  " + label_value(_("Back on"), back))
    return lines


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Print each file's report; exit status 1 if any file could not be read."""
    failed = 0
    for path in options["files"]:
        result = parse_file(path)
        failed += "error" in result
        if options["json"]:
            command.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            command.stdout.write("\n".join(describe(result)))
    if failed:
        raise CommandError(
            ngettext(
                "%(count)d file could not be read.", "%(count)d files could not be read.", failed
            )
            % {"count": failed}
        )
