"""`pressdesk monitor match --queries FILE.yaml --input PATH… [--json]`: try queries on files.

Stateless: no database. Each (document, query) match is printed (one JSON line with --json);
a query that cannot be read is reported with its name and position, and the others still run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring.matching.inputs import read_inputs
from pressdesk.monitoring.matching.queryfile import load_queries
from pressdesk.monitoring.query import Document, Matcher

NAME = "match"
HELP = gettext_lazy("Run watch queries over local text, HTML and feed files, and explain matches.")


def add_arguments(parser: CommandParser) -> None:
    """--queries, --input, --json and the metadata given to every document."""
    parser.add_argument(
        "--queries",
        required=True,
        metavar="FILE.yaml",
        help=gettext_lazy("YAML file mapping each query's name to its expression or options."),
    )
    parser.add_argument(
        "--input",
        required=True,
        nargs="+",
        metavar="PATH",
        help=gettext_lazy(".txt, .html and feed files, or folders holding them."),
    )
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("Print one JSON line per match.")
    )
    parser.add_argument(
        "--lang", default=None, help=gettext_lazy("The documents' language, for lang: filters.")
    )
    parser.add_argument(
        "--outlet", default="", help=gettext_lazy("The documents' outlet, for outlet: filters.")
    )
    parser.add_argument(
        "--media-type", default="", help=gettext_lazy("The outlet's type, for type: filters.")
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Load the queries, read the inputs, print every match."""
    as_json = bool(options["json"])
    queries, errors = load_queries(Path(options["queries"]))
    for name, error in errors:
        if as_json:
            report = {"query": name, "error": error.as_dict()}
            command.stderr.write(json.dumps(report, ensure_ascii=False))
        else:
            command.stderr.write(
                _("Query “%(name)s” is not used: %(error)s") % {"name": name, "error": str(error)}
            )
    if not queries:
        raise CommandError(_("No query could be read, so nothing was matched."))
    matcher = Matcher(queries)
    documents = 0
    for item in read_inputs([Path(p) for p in options["input"]], command.stderr):
        documents += 1
        document = Document(
            item.text,
            title=item.title,
            lang=options["lang"] or item.lang,
            outlet=options["outlet"],
            media_type=options["media_type"],
        )
        for found in matcher.match(document):
            if as_json:
                line: dict[str, Any] = {
                    "document": item.path,
                    "query": found.query,
                    "spans": [
                        {
                            "field": s.field,
                            "start": s.start,
                            "end": s.end,
                            "term": s.term,
                            "text": (item.title if s.field == "title" else item.text)[
                                s.start : s.end
                            ],
                        }
                        for s in found.spans
                    ],
                    "explanation": found.explanation,
                }
                if item.item is not None:
                    line["item"] = item.item
                if queries[found.query].group:
                    line["group"] = queries[found.query].group
                command.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                where = item.path if item.item is None else f"{item.path} [{item.item}]"
                command.stdout.write(f"{where}\t{found.query}\t{found.explanation}")
    if not documents:
        raise CommandError(_("No .txt, .html or feed file was found in the input."))
