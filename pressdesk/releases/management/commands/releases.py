"""`pressdesk releases …`: list, show and export releases from scripts."""

from __future__ import annotations

from pressdesk.management import gettext_lazy
from pressdesk.management.subcommands import SubcommandGroup


class Command(SubcommandGroup):
    help = gettext_lazy("List, show and export press releases.")
    package = "pressdesk.releases.cli"
