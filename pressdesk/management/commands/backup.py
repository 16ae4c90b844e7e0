"""`pressdesk backup [DEST]`: write a backup archive of the database and media files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pressdesk.backups import BackupError, create_backup, default_destination
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.orgs import cli_actor_label


class Command(TranslatedCommand):
    uses_verbosity = True  # -v 0 hides the progress bar
    help = gettext_lazy("Write a .tar.gz backup of the database, media files and secret key.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "dest",
            nargs="?",
            help=gettext_lazy("The archive to write, or a folder for it (default: var/backups/)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dest = Path(options["dest"]) if options["dest"] else default_destination()
        if dest.is_dir():
            dest = dest / default_destination().name
        try:
            written = create_backup(
                dest, actor_label=cli_actor_label(), progress=options["verbosity"] > 0
            )
        except BackupError as e:
            raise CommandError(str(e)) from e
        size = filesizeformat(written.stat().st_size)
        self.stdout.write(
            self.style.SUCCESS(
                _("Backup written to %(file)s (%(size)s).") % {"file": written, "size": size}
            )
        )
        self.stdout.write(_("It holds password hashes and the secret key: keep it safe."))
