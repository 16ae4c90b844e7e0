"""`pressdesk releases list [--state S] [--json]`: the organisation's releases."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.formats import date_format

from pressdesk.management import gettext_lazy
from pressdesk.orgs import add_org_argument, resolve_org
from pressdesk.releases.cli._common import release_json
from pressdesk.releases.models import Release, ReleaseState
from pressdesk.releases.states import state_label
from pressdesk.releases.views.editor import filter_by_state

NAME = "list"
HELP = gettext_lazy("List the organisation's releases, newest change first.")


def add_arguments(parser: CommandParser) -> None:
    add_org_argument(parser)
    parser.add_argument(
        "--state", choices=ReleaseState.values, help=gettext_lazy("Only releases in this state.")
    )
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("Print a JSON array for scripts.")
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    org = resolve_org(options.get("org"))
    releases = filter_by_state(
        Release.objects.for_org(org).select_related("org"), options.get("state") or ""
    ).order_by("-updated", "-pk")
    rows = [release_json(r) for r in releases]
    if options.get("json"):
        command.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    with timezone.override(org.timezone):
        for release, row in zip(releases, rows, strict=True):
            embargo = (
                date_format(timezone.localtime(release.embargo_until), "DATETIME_FORMAT")
                if release.embargo_until
                else "—"
            )
            command.stdout.write(
                f"{row['id']:>5}  {state_label(row['state']):<12}  {embargo:<24}  {row['title']}"
            )
