"""`pressdesk releases show ID [--json]`: one release, its state, embargo and current text."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.orgs import add_org_argument, resolve_org
from pressdesk.releases import markup
from pressdesk.releases.cli._common import release_json
from pressdesk.releases.models import Release
from pressdesk.releases.rendering import render_release_html

NAME = "show"
HELP = gettext_lazy("Show one release: its state, embargo, address and current text.")


def add_arguments(parser: CommandParser) -> None:
    add_org_argument(parser)
    parser.add_argument("id", type=int, help=gettext_lazy("The release's number."))
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("Print a JSON object for scripts.")
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    org = resolve_org(options.get("org"))
    release = (
        Release.objects.for_org(org)
        .select_related("org", "current_version")
        .filter(pk=options["id"])
        .first()
    )
    if release is None:
        raise CommandError(
            _("There is no release %(id)s in %(org)s.") % {"id": options["id"], "org": org.slug}
        )
    version = release.current_version
    row = release_json(release)
    if options.get("json"):
        row["version"] = version.number if version else None
        row["text"] = markup.text_lines(render_release_html(version)) if version else ""
        row["html"] = str(render_release_html(version, embargo_notice=True)) if version else ""
        command.stdout.write(json.dumps(row, ensure_ascii=False, indent=2))
        return
    for key in ("id", "title", "state", "embargo_until", "public_url"):
        command.stdout.write(f"{key}: {row[key] if row[key] is not None else '—'}")
    if version is not None:
        command.stdout.write("")
        command.stdout.write(markup.text_lines(render_release_html(version, embargo_notice=True)))
