"""`pressdesk monitor sources add|import|export|list`: the sources an organisation watches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.models import Organisation
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
    exp = actions.add_parser(
        "export", help=gettext_lazy("Write the watched feeds as an OPML file.")
    )
    exp.add_argument(
        "--format", choices=["opml"], default="opml", help=gettext_lazy("The file format.")
    )
    exp.add_argument(
        "file", nargs="?", help=gettext_lazy("Where to write it (default: standard output).")
    )
    add_org_argument(exp)
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
    elif action == "export":
        export(command, org, options.get("file"))
    else:
        for source in Source.objects.for_org(org).select_related("outlet").order_by("pk"):
            row = describe(source)
            if options.get("json"):
                command.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                reason = f" ({row['reason']})" if row["reason"] else ""
                command.stdout.write(f"{row['id']}\t{row['health']}{reason}\t{row['url']}")


def export(command: BaseCommand, org: Organisation, file: str | None) -> None:
    """Write the organisation's feeds as OPML: `sources import` reads it back as the same list.

    News sitemaps and web pages are not feeds, so OPML has no place for them: they are counted
    on standard error, not written.
    """
    from pressdesk.monitoring.opml import OpmlFeed, write_opml

    rows = Source.objects.for_org(org).select_related("outlet").order_by("title", "url")
    feeds = [s for s in rows if s.kind in (SourceKind.FEED, SourceKind.SOCIAL)]
    data = write_opml(
        (
            OpmlFeed(
                title=s.title or s.url,
                xml_url=s.url,
                html_url=(s.outlet.website or None) if s.outlet else None,
            )
            for s in feeds
        ),
        title=org.name,
    )
    if file:
        try:
            Path(file).write_bytes(data)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
    else:
        command.stdout.write(data.decode("utf-8"))
    skipped = len(rows) - len(feeds)
    if skipped:
        command.stderr.write(
            ngettext(
                "%(count)s sitemap or page left out: OPML lists feeds only.",
                "%(count)s sitemaps and pages left out: OPML lists feeds only.",
                skipped,
            )
            % {"count": skipped}
        )


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
