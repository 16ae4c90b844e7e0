"""A command made of sub-commands, one module each: `pressdesk monitor parse-feed …`.

Each module of the package named by `SubcommandGroup.package` that defines `NAME` is one
sub-command. It provides:

    NAME = "parse-feed"
    HELP = gettext_lazy("Read a feed file and print its items.")
    def add_arguments(parser: CommandParser) -> None: ...
    def handle(command: BaseCommand, options: dict[str, Any]) -> None: ...

so that several people can add sub-commands to one command without touching a shared file.
`handle` writes to `command.stdout` and raises `CommandError` for a failure (exit status 1).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

from django.core.management.base import CommandParser

from pressdesk.management import TranslatedCommand


def subcommand_modules(package: str) -> list[ModuleType]:
    """The package's sub-command modules, sorted by name."""
    pkg = importlib.import_module(package)
    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"{package}.{info.name}")
        if hasattr(mod, "NAME"):
            found.append(mod)
    return sorted(found, key=lambda m: m.NAME)


class SubcommandGroup(TranslatedCommand):
    """A management command whose actions are the modules of one package."""

    package = ""  # dotted path, e.g. "pressdesk.monitoring.cli"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for mod in subcommand_modules(self.package):
            sub = actions.add_parser(mod.NAME, help=str(mod.HELP), description=str(mod.HELP))
            mod.add_arguments(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        for mod in subcommand_modules(self.package):
            if options["action"] == mod.NAME:
                mod.handle(self, options)
                return
