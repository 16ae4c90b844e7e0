"""`pressdesk mailings fetch-replies [--json]`: read the replies mailbox once (REPLIES_IMAP_URL).

What the periodic job does, on demand: record the unseen bounces, automatic replies and replies,
then mark them read. Messages that answer none of our mailings are counted and left unread.
"""

from __future__ import annotations

import imaplib
import json
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.lib.typography import label_value
from pressdesk.mailings import imap
from pressdesk.management import gettext_lazy

NAME = "fetch-replies"
HELP = gettext_lazy(
    "Read the replies mailbox (REPLIES_IMAP_URL) once: record bounces, automatic replies and "
    "replies, then mark them read."
)


def add_arguments(parser: CommandParser) -> None:
    """--json."""
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("print the counts as one JSON object")
    )


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Read the mailbox once and print the counts."""
    try:
        result = imap.fetch_replies()
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from exc
    except (imaplib.IMAP4.error, OSError) as exc:
        raise CommandError(
            _("Cannot read the replies mailbox: %(error)s") % {"error": exc}
        ) from exc
    if options["json"]:
        command.stdout.write(json.dumps(result.as_dict()))
        return
    for label, value in (
        (_("Messages read"), result.fetched),
        (_("Recorded"), result.recorded),
        (_("Matching no mailing (left unread)"), result.unmatched),
        (_("Failed (will be read again)"), result.failed),
    ):
        command.stdout.write(label_value(label, str(value)))
