"""The `pressdesk` command: a front to the management commands, with a global `--org`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.management import hide_generic_options, translate_argparse

ORG_ENV = "PRESSDESK_ORG"  # read back by pressdesk.orgs.resolve_org

# The commands `pressdesk --help` lists, in order, and the management command each one runs.
# `check` is ours (`selfcheck`), because Django's own `check` is something else.
COMMANDS = {
    "serve": "serve",
    "worker": "worker",
    "demo": "demo",
    "migrate": "migrate",
    "org": "org",
    "createuser": "createuser",
    "user": "user",
    "check": "selfcheck",
    "backup": "backup",
    "restore": "restore",
}
# Django's commands describe themselves in English only.
DESCRIPTIONS: dict[str, str | Promise] = {
    "migrate": gettext_lazy("Create or update the database tables."),
}


class UsageError(Exception):
    """The global options are wrong; the message says how."""


def split_global_options(args: list[str]) -> tuple[str | None, bool, list[str]]:
    """Take `--org SLUG` and `--help` from before the subcommand; return them and the rest."""
    org, wants_help = None, False
    i = 0
    while i < len(args) and args[i].startswith("-"):
        arg = args[i]
        if arg == "--org":
            if i + 1 >= len(args):
                raise UsageError(_("--org needs an organisation's short name (slug)."))
            org, i = args[i + 1], i + 2
            continue
        if arg.startswith("--org="):
            org = arg.removeprefix("--org=")
        elif arg in ("-h", "--help"):
            wants_help = True
        else:
            raise UsageError(_("Unknown option %(option)s.") % {"option": arg})
        i += 1
    return org, wants_help, args[i:]


def activate_language() -> None:
    """Speak the user's language, as POSIX locales say it: French for fr_*, else English."""
    from django.utils import translation

    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            translation.activate("fr" if value.lower().startswith("fr") else "en")
            return
    translation.activate("en")


def _first_sentence(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    head, dot, _rest = line.partition(". ")
    return head + dot.strip()


def describe(name: str, app: str) -> str:
    """A command's one-line description, from its own help text."""
    from django.core.management import load_command_class

    if name in DESCRIPTIONS:
        return str(DESCRIPTIONS[name])
    return _first_sentence(str(load_command_class(app, name).help))


def main_help() -> str:
    """The text of `pressdesk --help`."""
    from django.core.management import get_commands

    available = get_commands()
    lines = [
        _("usage: pressdesk [--org SLUG] COMMAND [ARGUMENTS]"),
        "",
        _("Pressdesk, the press office's desk. Commands:"),
    ]
    for shown, name in COMMANDS.items():
        lines.append(f"  {shown:<12}{describe(name, available[name])}")
    from pressdesk.modules import registered

    of_modules = [
        (name, available[name])
        for module in registered()
        for name in module.commands
        if name in available
    ]
    if of_modules:
        lines += ["", _("Commands of the modules:")]
        lines += [f"  {name:<12}{describe(name, app)}" for name, app in of_modules]
    lines += [
        "",
        _("Options:"),
        "  --org SLUG  "
        + _("The organisation to act on (default: $PRESSDESK_ORG, or the only one there is)."),
        "  -h, --help  " + _("Show this help."),
        "",
        _(
            "`pressdesk COMMAND --help` explains one command; `pressdesk help` lists Django's "
            "commands too."
        ),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `pressdesk` console script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    import django

    django.setup()
    activate_language()
    translate_argparse()
    try:
        org, wants_help, rest = split_global_options(list(sys.argv[1:] if argv is None else argv))
    except UsageError as e:
        print(f"pressdesk: {e}\n{_('Try `pressdesk --help`.')}", file=sys.stderr)
        return 2
    if org:
        os.environ[ORG_ENV] = org
    if wants_help or not rest:
        print(main_help())
        return 0

    from django.core.management import ManagementUtility, get_commands, load_command_class
    from django.db import DatabaseError

    shown, args = rest[0], rest[1:]
    name = COMMANDS.get(shown, shown)
    available = get_commands()
    try:
        if name in available:
            # Run it directly, so that its usage line reads `pressdesk check`, not `selfcheck`,
            # and its --help lists only the options that mean something here.
            command = load_command_class(available[name], name)
            hide_generic_options(command)
            command.run_from_argv(["pressdesk", shown, *args])
        else:
            ManagementUtility(["pressdesk", shown, *args]).execute()
    except DatabaseError as e:
        # A missing table or an unreachable server: say what to do rather than a traceback.
        hint = _("Is the database reachable and up to date? `pressdesk check` tells.")
        print(f"pressdesk: {e}\n{hint}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
