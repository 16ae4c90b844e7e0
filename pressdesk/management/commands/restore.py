"""`pressdesk restore FILE`: put a backup archive back in place of the current data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.backups import BackupError, read_manifest, restore_backup
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.orgs import cli_actor_label


class Command(TranslatedCommand):
    uses_verbosity = True  # -v 0 hides the progress bar
    help = gettext_lazy("Replace the database and media files with those of a backup archive.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=gettext_lazy("The archive `pressdesk backup` wrote."))
        parser.add_argument(
            "--yes", action="store_true", help=gettext_lazy("Do not ask for confirmation.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["file"])
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                self.confirm(manifest["created"])
            restore_backup(
                archive, actor_label=cli_actor_label(), progress=options["verbosity"] > 0
            )
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored the backup of %(created)s.") % {"created": manifest["created"]}
            )
        )
        self.stdout.write(_("Restart the web application and the workers."))

    def confirm(self, created: str) -> None:
        """Ask before overwriting everything; refuse if nobody can answer."""
        if not sys.stdin.isatty():
            raise CommandError(_("Restoring replaces all current data: add --yes to confirm."))
        question = _(
            "This replaces ALL current data with the backup of %(created)s. Type yes to go on: "
        ) % {"created": created}
        if input(question).strip().lower() not in ("yes", "oui"):
            raise CommandError(_("Nothing was restored."))
