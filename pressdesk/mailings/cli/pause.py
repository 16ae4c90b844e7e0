"""`pressdesk mailings pause ID [--reason TEXT]`: stop handing out new recipients."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pressdesk.mailings import services
from pressdesk.mailings.cli._common import add_common_arguments, run, target
from pressdesk.management import gettext_lazy

NAME = "pause"
HELP = gettext_lazy("Pause a mailing that is being sent (messages in flight finish).")


def add_arguments(parser: CommandParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--reason", default="", help=gettext_lazy("Why, for your colleagues."))


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    mailing, user, label = target(options, "send")
    run(lambda: services.pause(mailing, user, options["reason"], actor_label=label))
    command.stdout.write(_("Mailing %(id)s paused.") % {"id": mailing.pk})
