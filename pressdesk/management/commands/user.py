"""`pressdesk user reset-password EMAIL`: get someone back into their account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.accounts import recovery
from pressdesk.accounts.models import User
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.orgs import cli_actor_label


class Command(TranslatedCommand):
    help = gettext_lazy("Manage user accounts: recover a lost password.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reset = actions.add_parser(
            "reset-password",
            help=gettext_lazy("Print a link to choose a new password, or a one-time password."),
        )
        reset.add_argument("email", help=gettext_lazy("The account's email address."))
        reset.add_argument(
            "--password",
            action="store_true",
            help=gettext_lazy(
                "Set a random password and print it, instead of printing a link (for when "
                "SITE_ROOT cannot be reached)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("There is no account for %(email)s.") % {"email": email})
        if not user.is_active:
            raise CommandError(
                _("The account of %(email)s is deactivated: reactivate it in the admin first.")
                % {"email": email}
            )
        actor = cli_actor_label()
        if options["password"]:
            password = recovery.one_time_password(user, actor_label=actor)
            self.stdout.write(
                _("New password for %(email)s (shown only this once): %(password)s")
                % {"email": user.email, "password": password}
            )
            self.stdout.write(_("Ask them to change it from “My account” after logging in."))
            return
        link = recovery.reset_link(user, actor_label=actor)
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        self.stdout.write(
            _(
                "Open this link to choose a new password for %(email)s "
                "(valid %(hours)s hours, once):"
            )
            % {"email": user.email, "hours": hours}
        )
        self.stdout.write(link)
