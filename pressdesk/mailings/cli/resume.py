"""`pressdesk mailings resume ID`: go on sending a paused mailing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from pressdesk.mailings import services
from pressdesk.mailings.cli._common import add_common_arguments, run, target
from pressdesk.management import gettext_lazy

NAME = "resume"
HELP = gettext_lazy("Resume a paused mailing.")


def add_arguments(parser: CommandParser) -> None:
    add_common_arguments(parser)


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    mailing, user, label = target(options, "send")
    run(lambda: services.resume(mailing, user, actor_label=label))
    command.stdout.write(_("Mailing %(id)s resumed.") % {"id": mailing.pk})
