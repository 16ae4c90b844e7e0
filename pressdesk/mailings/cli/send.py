"""`pressdesk mailings send ID [--wait]`: freeze the ledger and queue the mailing.

`pressdesk worker` (any number of them) sends it. With --wait the command follows the progress
until the mailing is sent, paused or cancelled.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pressdesk.mailings import services
from pressdesk.mailings.cli._common import add_common_arguments, describe, run, target
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.management import gettext_lazy

NAME = "send"
HELP = gettext_lazy("Send a mailing now: freeze its recipients and queue it for the workers.")
POLL_SECONDS = 1.0
BAR = 30


def add_arguments(parser: CommandParser) -> None:
    add_common_arguments(parser)
    parser.add_argument(
        "--wait",
        action="store_true",
        help=gettext_lazy("Follow the progress until the mailing is sent, paused or cancelled."),
    )


def progress_line(status: dict[str, Any]) -> str:
    """`[#######.......]  420/1000 sent, 3 refused, 0 unknown`."""
    total = status["recipients"] or 1
    settled = status["sent"] + status["failed"] + status["unknown"] + status.get("skipped", 0)
    filled = round(BAR * settled / total)
    return "[{}{}] ".format("#" * filled, "." * (BAR - filled)) + _(
        "%(sent)s/%(total)s sent, %(failed)s refused, %(unknown)s unknown"
    ) % {
        "sent": status["sent"],
        "total": status["recipients"],
        "failed": status["failed"],
        "unknown": status["unknown"],
    }


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    mailing, user, label = target(options, "send")
    run(lambda: services.start(mailing, user, actor_label=label))
    status = services.status(mailing)
    command.stdout.write(
        _("Mailing %(id)s queued for %(count)s recipients.")
        % {"id": mailing.pk, "count": status["recipients"]}
    )
    if not options.get("wait"):
        return
    tty = sys.stdout.isatty()
    while status["state"] == MailingState.SENDING:
        line = progress_line(status)
        if tty:
            command.stdout.write("\r" + line, ending="")
            command.stdout.flush()
        else:
            command.stdout.write(line)
        time.sleep(POLL_SECONDS)  # the worker does the work; this only looks at it
        status = services.status(mailing)
    if tty:
        command.stdout.write("")
    command.stdout.write("\n".join(describe(status)))
