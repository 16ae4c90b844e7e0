"""The project's management commands, which `pressdesk` (pressdesk/cli.py) puts in front."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_lazy as _gettext_lazy

# Django's gettext_lazy, typed as returning str: argparse and BaseCommand.help are typed `str`
# and take a lazy string fine at run time. Imported under this very name, so that
# makemessages still finds the strings.
gettext_lazy: Callable[[str], str] = _gettext_lazy  # type: ignore[assignment]


class TranslatedCommand(BaseCommand):
    """A command whose `help` may be a lazy translation, shown in the language active now."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wraps the description with a regex, which needs a real str.
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)
