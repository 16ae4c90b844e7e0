"""`pressdesk mailings status ID [--json]`: where a mailing stands."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pressdesk.mailings import services
from pressdesk.mailings.cli._common import add_common_arguments, describe, target
from pressdesk.management import gettext_lazy

NAME = "status"
HELP = gettext_lazy("Show a mailing's state and counts: sent, queued, refused, unknown…")


def add_arguments(parser: CommandParser) -> None:
    add_common_arguments(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help=gettext_lazy("Print a JSON object for scripts."),
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    mailing, _user, _label = target(options, "read")
    status = services.status(mailing)
    if options.get("json"):
        command.stdout.write(json.dumps(status, ensure_ascii=False))
    else:
        command.stdout.write("\n".join(describe(status)))
