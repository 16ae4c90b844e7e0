"""`pressdesk monitor queries add|list|test`: watch queries from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring.models import WatchQuery
from pressdesk.orgs import add_org_argument, resolve_org

NAME = "queries"
HELP = gettext_lazy("Add, list and try watch queries.")


def add_arguments(parser: CommandParser) -> None:
    """`queries add NAME EXPRESSION`, `queries list`, `queries test EXPRESSION`."""
    actions = parser.add_subparsers(dest="queries_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=gettext_lazy("Save a watch query (checked first)."))
    add.add_argument("name", help=gettext_lazy("The query's name."))
    add.add_argument(
        "expression", help=gettext_lazy("The query, e.g. '\"Marie Dupont\" NOT fruit'.")
    )
    add.add_argument("--group", default="", help=gettext_lazy("The query group."))
    add.add_argument(
        "--alias",
        action="append",
        default=[],
        help=gettext_lazy("Another spelling, matched as a phrase (repeatable)."),
    )
    add_org_argument(add)
    lst = actions.add_parser("list", help=gettext_lazy("List the watch queries."))
    lst.add_argument("--json", action="store_true", help=gettext_lazy("One JSON object a line."))
    add_org_argument(lst)
    test = actions.add_parser("test", help=gettext_lazy("Run a draft query over the archive."))
    test.add_argument("expression", help=gettext_lazy("The draft query."))
    test.add_argument("--limit", type=int, default=20, help=gettext_lazy("At most this many."))
    test.add_argument("--json", action="store_true", help=gettext_lazy("One JSON object a line."))
    add_org_argument(test)


def syntax_error(exc: Any) -> CommandError:
    """A syntax error as the command reports it: message, position and hint."""
    text = _("Syntax error at position %(position)s: %(message)s") % {
        "position": exc.position,
        "message": exc.message,
    }
    if exc.hint:
        text += f" ({exc.hint})"
    return CommandError(text)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run the chosen action."""
    # Imported here: `pressdesk --help` lists sub-commands without loading the matcher.
    from pressdesk.monitoring import watch
    from pressdesk.monitoring.query import QuerySyntaxError

    org = resolve_org(options.get("org"))
    action = options["queries_action"]
    if action == "add":
        if WatchQuery.objects.for_org(org).filter(name=options["name"].strip()).exists():
            raise CommandError(
                _("A query named %(name)s exists already.") % {"name": options["name"]}
            )
        try:
            query = watch.save(
                org,
                options["name"],
                options["expression"],
                group=options["group"],
                aliases=options["alias"],
            )
        except QuerySyntaxError as exc:
            raise syntax_error(exc) from exc
        command.stdout.write(
            _("Saved query %(id)s: %(name)s") % {"id": query.pk, "name": query.name}
        )
    elif action == "list":
        for query in WatchQuery.objects.for_org(org).select_related("group").order_by("name"):
            row = {
                "id": query.pk,
                "name": query.name,
                "group": query.group.name if query.group else None,
                "expression": query.expression,
                "aliases": query.aliases,
                "active": query.active,
            }
            if options.get("json"):
                command.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                command.stdout.write(f"{query.pk}\t{query.name}\t{query.expression}")
    else:
        try:
            hits = watch.preview(org, options["expression"], limit=options["limit"])
        except QuerySyntaxError as exc:
            raise syntax_error(exc) from exc
        for hit in hits:
            row = {
                "id": hit.item.pk,
                "title": hit.item.title,
                "url": hit.item.link,
                "spans": hit.spans,
                "explanation": hit.explanation,
            }
            if options.get("json"):
                command.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                command.stdout.write(f"{hit.item.pk}\t{hit.item.title}\t{hit.explanation}")
        command.stdout.write(_("%(n)s articles match.") % {"n": len(hits)})
