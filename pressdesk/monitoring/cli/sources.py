"""`pressdesk monitor sources add|import|list`: the sources an organisation watches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring import sources
from pressdesk.monitoring.models import Source, SourceKind
from pressdesk.orgs import add_org_argument, resolve_org

NAME = "sources"
HELP = gettext_lazy("Add, import and list the sources the organisation watches.")


def add_arguments(parser: CommandParser) -> None:
    """`sources add URL`, `sources import FILE.opml`, `sources list`."""
    actions = parser.add_subparsers(dest="sources_action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=gettext_lazy("Watch a feed, sitemap or page."))
    add.add_argument("url", help=gettext_lazy("The address of the feed, sitemap or page."))
    add.add_argument("--outlet", metavar="NAME", help=gettext_lazy("The outlet it belongs to."))
    add.add_argument(
        "--kind", choices=[k.value for k in SourceKind], help=gettext_lazy("Default: guessed.")
    )
    add_org_argument(add)
    imp = actions.add_parser("import", help=gettext_lazy("Watch every feed of an OPML file."))
    imp.add_argument("file", help=gettext_lazy("The OPML file."))
    add_org_argument(imp)
    lst = actions.add_parser("list", help=gettext_lazy("List the sources with their health."))
    lst.add_argument("--json", action="store_true", help=gettext_lazy("One JSON object a line."))
    add_org_argument(lst)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Run the chosen action."""
    org = resolve_org(options.get("org"))
    action = options["sources_action"]
    if action == "add":
        outlet = sources.find_outlet(org, options["outlet"]) if options.get("outlet") else None
        try:
            source, created = sources.add(
                org, options["url"], outlet=outlet, kind=options.get("kind") or ""
            )
        except sources.SourceRefused as exc:
            raise CommandError(_("Refused: %(reason)s") % {"reason": exc.reason}) from exc
        message = (
            _("Added source %(id)s: %(url)s") if created else _("Already watched: %(id)s %(url)s")
        )
        command.stdout.write(message % {"id": source.pk, "url": source.url})
    elif action == "import":
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        from pressdesk.monitoring.opml import OpmlError

        try:
            report = sources.import_opml(org, data)
        except OpmlError as exc:
            raise CommandError(_("Not an OPML file: %(reason)s") % {"reason": exc}) from exc
        for refused in report.refused:
            command.stdout.write(
                _("Refused %(url)s: %(reason)s") % {"url": refused.url, "reason": refused.reason}
            )
        command.stdout.write(
            _("%(added)s added, %(existing)s already watched, %(refused)s refused.")
            % {
                "added": len(report.added),
                "existing": len(report.existing),
                "refused": len(report.refused),
            }
        )
    else:
        for source in Source.objects.for_org(org).select_related("outlet").order_by("pk"):
            row = describe(source)
            if options.get("json"):
                command.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                reason = f" ({row['reason']})" if row["reason"] else ""
                command.stdout.write(f"{row['id']}\t{row['health']}{reason}\t{row['url']}")


def describe(source: Source) -> dict[str, Any]:
    """A source as the `list` command prints it."""
    return {
        "id": source.pk,
        "url": source.url,
        "kind": source.kind,
        "title": source.title,
        "outlet": source.outlet.name if source.outlet else None,
        "health": source.health,
        "reason": source.health_reason,
        "last_polled": source.last_polled_at.isoformat() if source.last_polled_at else None,
        "last_new_item": source.last_new_item_at.isoformat() if source.last_new_item_at else None,
        "items": source.items_seen,
    }
