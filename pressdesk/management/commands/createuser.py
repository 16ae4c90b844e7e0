"""`pressdesk createuser`: add someone to an organisation with a role; create their account."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from pressdesk.accounts import audit
from pressdesk.accounts.models import Membership, User
from pressdesk.accounts.roles import Role
from pressdesk.management import TranslatedCommand, gettext_lazy
from pressdesk.orgs import add_org_argument, cli_actor_label, resolve_org


class Command(TranslatedCommand):
    help = gettext_lazy("Add a person to an organisation with a role, creating their account.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=gettext_lazy("Their email address, used to log in."))
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--name", default="", help=gettext_lazy("Their full name."))
        parser.add_argument(
            "--password",
            default="",
            help=gettext_lazy("Their password (default: a random one, printed once)."),
        )
        add_org_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        org = resolve_org(options["org"])
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(_("%(email)s is not an email address.") % {"email": email}) from None
        role, password = options["role"], options["password"]

        with transaction.atomic():
            user = User.objects.filter(email=email).first()
            new_user = user is None
            if user is None:
                user = User(email=email, full_name=options["name"].strip())
                generated = not password
                password = password or secrets.token_urlsafe(12)
                try:
                    validate_password(password, user)
                except ValidationError as e:
                    raise CommandError(" ".join(e.messages)) from None
                user = User.objects.create_user(email, password, full_name=user.full_name)
            else:
                generated = False
                if password:
                    self.stderr.write(
                        _("%(email)s has an account already: its password is unchanged.")
                        % {"email": email}
                    )
            existing = Membership.objects.for_org(org).filter(user=user).first()
            if existing is not None:
                raise CommandError(
                    _("%(email)s is already a member of %(org)s, as %(role)s.")
                    % {"email": email, "org": org.slug, "role": existing.get_role_display()}
                )
            membership = Membership.objects.create(user=user, org=org, role=role)
            audit.record(
                "team.add",
                org=org,
                obj=membership,
                actor_label=cli_actor_label(),
                role=role,
                new_user=new_user,
            )

        self.stdout.write(
            self.style.SUCCESS(
                _("%(email)s is now a member of %(org)s, as %(role)s.")
                % {"email": email, "role": membership.get_role_display(), "org": org.name}
            )
        )
        if generated:
            self.stdout.write(
                _("Password (shown only this once): %(password)s") % {"password": password}
            )
