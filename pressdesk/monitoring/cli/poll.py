"""`pressdesk monitor poll [--once] [--source ID]`: poll sources from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring.models import Source
from pressdesk.orgs import add_org_argument, resolve_org

NAME = "poll"
HELP = gettext_lazy("Poll due sources now and run their new articles through the pipeline.")


def add_arguments(parser: CommandParser) -> None:
    """`--once` and `--source ID`."""
    parser.add_argument(
        "--once",
        action="store_true",
        help=gettext_lazy("Poll every source once, due or not, then stop."),
    )
    parser.add_argument("--source", type=int, metavar="ID", help=gettext_lazy("Only this source."))
    add_org_argument(parser)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Poll, print one line per source, and exit."""
    # Imported here: `pressdesk --help` lists sub-commands without loading the pipeline.
    from pressdesk.monitoring import runner

    org = resolve_org(options.get("org"))
    sources = Source.objects.for_org(org).filter(active=True).order_by("pk")
    if options.get("source"):
        sources = sources.filter(pk=options["source"])
        if not sources.exists():
            raise CommandError(_("There is no source %(id)s.") % {"id": options["source"]})
    for line in runner.poll_inline(list(sources), due_only=not options.get("once")):
        if line.error:
            text = _("source %(id)s: failing: %(reason)s")
        elif line.not_modified:
            text = _("source %(id)s: not modified")
        else:
            text = _(
                "source %(id)s: %(new)s new, %(clipped)s clippings, %(quarantined)s quarantined"
            )
        command.stdout.write(
            text
            % {
                "id": line.source_id,
                "reason": line.error,
                "new": line.new,
                "clipped": line.clippings,
                "quarantined": line.quarantined,
            }
        )
