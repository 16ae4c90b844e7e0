"""`pressdesk demo`: load the demo organisation and say how to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.demo import DemoError, load_demo
from pressdesk.management import TranslatedCommand, gettext_lazy


class Command(TranslatedCommand):
    help = gettext_lazy("Create a demo organisation with a team, and print how to log in.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=gettext_lazy("Do nothing if any organisation exists already."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write(_("Organisations exist already: no demo loaded."))
            return
        try:
            org, email, password = load_demo()
        except DemoError as e:
            raise CommandError(str(e)) from e
        rule = "=" * 64
        self.stdout.write(rule)
        self.stdout.write(
            self.style.SUCCESS(_("Demo organisation created: %(name)s") % {"name": org.name})
        )
        self.stdout.write(_("Open:      %(url)s/") % {"url": settings.SITE_ROOT})
        self.stdout.write(_("Email:     %(email)s") % {"email": email})
        self.stdout.write(_("Password:  %(password)s") % {"password": password})
        self.stdout.write(_("The password is shown only this once: note it now."))
        self.stdout.write(rule)
