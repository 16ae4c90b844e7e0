"""`pressdesk mailings …`: sends and their follow-up; for now the stateless bounce reader."""

from __future__ import annotations

from pressdesk.management import gettext_lazy
from pressdesk.management.subcommands import SubcommandGroup


class Command(SubcommandGroup):
    help = gettext_lazy("Personalised sends; read bounces and auto-replies.")
    package = "pressdesk.mailings.cli"
