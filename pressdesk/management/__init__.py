"""The project's management commands, which `pressdesk` (pressdesk/cli.py) puts in front."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_lazy as _gettext_lazy

# Django's gettext_lazy, typed as returning str: argparse and BaseCommand.help are typed `str`
# and take a lazy string fine at run time. Imported under this very name, so that
# makemessages still finds the strings.
gettext_lazy: Callable[[str], str] = _gettext_lazy  # type: ignore[assignment]

# Options every Django command has, which mean nothing to someone running `pressdesk`. They
# still work; `--help` just does not list them.
GENERIC_OPTIONS = frozenset(
    {
        "--version",
        "--settings",
        "--pythonpath",
        "--traceback",
        "--no-color",
        "--force-color",
        "--skip-checks",
    }
)
VERBOSITY_OPTIONS = frozenset({"-v", "--verbosity"})


def gettext_noop(message: str) -> str:
    """Mark a string for the catalogue (Django's own needs settings, which the CLI has not yet)."""
    return message


# argparse's own words, as Python 3.11 writes them; our catalogue translates them and
# `translate_argparse()` makes argparse ask it.
ARGPARSE_STRINGS = [
    gettext_noop("usage: "),
    gettext_noop("positional arguments"),
    gettext_noop("options"),
    gettext_noop("show this help message and exit"),
    gettext_noop("the following arguments are required: %s"),
    gettext_noop("unrecognized arguments: %s"),
    gettext_noop("%(prog)s: error: %(message)s\n"),
    gettext_noop("argument %(argument_name)s: %(message)s"),
    gettext_noop("invalid choice: %(value)r (choose from %(choices)s)"),
    gettext_noop("invalid %(type)s value: %(value)r"),
    gettext_noop("expected one argument"),
    gettext_noop("expected at most one argument"),
    gettext_noop("expected at least one argument"),
    gettext_noop("not allowed with argument %s"),
    gettext_noop("one of the arguments %s is required"),
    gettext_noop("ambiguous option: %(option)s could match %(matches)s"),
    gettext_noop("ignored explicit argument %r"),
    gettext_noop("unknown parser %(parser_name)r (choices: %(choices)s)"),
]


def translate_argparse() -> None:
    """Have argparse's usage lines, headings and errors speak the active language."""
    from django.utils.translation import gettext, ngettext

    # argparse looks these module globals up on every call.
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def generic_options(command: BaseCommand) -> set[str]:
    """The options of Django's that a command's `--help` should not list."""
    hidden = set(GENERIC_OPTIONS)
    if isinstance(command, TranslatedCommand) and not command.uses_verbosity:
        hidden |= VERBOSITY_OPTIONS
    return hidden


def suppress_options(parser: argparse.ArgumentParser, hidden: set[str]) -> None:
    """Leave these options out of the parser's help; they still work."""
    for action in parser._actions:
        if hidden.intersection(action.option_strings):
            action.help = argparse.SUPPRESS


def hide_generic_options(command: BaseCommand) -> None:
    """Keep Django's generic options out of any command's `--help` (-v only where it matters)."""
    if isinstance(command, TranslatedCommand):
        return  # it hides them itself
    make_parser = command.create_parser

    def create_parser(prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = make_parser(prog_name, subcommand, **kwargs)
        suppress_options(parser, generic_options(command))
        return parser

    command.create_parser = create_parser  # type: ignore[method-assign]


class TranslatedCommand(BaseCommand):
    """A command whose `help` may be a lazy translation, shown in the language active now, and
    whose `--help` lists only its own options."""

    uses_verbosity = False  # True where -v changes what the command prints

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse wraps the description with a regex, which needs a real str.
        self.help = str(self.help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        suppress_options(parser, generic_options(self))
        return parser
