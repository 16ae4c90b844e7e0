"""`pressdesk monitor ingest PATH… [--url-map FILE]`: local feeds and pages, as if fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.orgs import add_org_argument, resolve_org

NAME = "ingest"
HELP = gettext_lazy("Ingest local feed and HTML files or folders as if they had been fetched.")


def add_arguments(parser: CommandParser) -> None:
    """PATH… and --url-map."""
    parser.add_argument("paths", nargs="+", metavar="PATH", help=gettext_lazy("Files or folders."))
    parser.add_argument(
        "--url-map",
        metavar="FILE",
        help=gettext_lazy('Article URL → local file: a JSON object, or lines of "URL PATH".'),
    )
    add_org_argument(parser)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Ingest, then print what was stored, clipped and quarantined."""
    # Imported here: `pressdesk --help` lists sub-commands without loading the pipeline.
    from pressdesk.monitoring import ingesting

    org = resolve_org(options.get("org"))
    paths = [Path(p) for p in options["paths"]]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise CommandError(_("No such file or folder: %(paths)s") % {"paths": ", ".join(missing)})
    try:
        url_map = ingesting.load_url_map(Path(options["url_map"])) if options.get("url_map") else {}
    except ingesting.MapError as exc:
        raise CommandError(str(exc)) from exc
    report = ingesting.ingest(org, paths, url_map)
    for path, reason in report.unreadable:
        command.stdout.write(
            _("Unreadable %(path)s: %(reason)s") % {"path": path, "reason": reason}
        )
    for item_id, reason in report.quarantined:
        command.stdout.write(
            _("Quarantined article %(id)s: %(reason)s") % {"id": item_id, "reason": reason}
        )
    command.stdout.write(
        _("%(files)s files, %(items)s new articles, %(clippings)s clippings, %(q)s quarantined.")
        % {
            "files": report.files,
            "items": report.items,
            "clippings": report.clippings,
            "q": len(report.quarantined),
        }
    )
