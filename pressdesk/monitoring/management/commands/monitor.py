"""`pressdesk monitor …`: sources, polling, ingest, queries and the stateless feed tools."""

from __future__ import annotations

from pressdesk.management import gettext_lazy
from pressdesk.management.subcommands import SubcommandGroup


class Command(SubcommandGroup):
    help = gettext_lazy("Watch feeds and pages for mentions; read, extract and match articles.")
    package = "pressdesk.monitoring.cli"
