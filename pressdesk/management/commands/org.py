"""`pressdesk org create|list`: the organisations of this installation."""

from __future__ import annotations

import json
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.core.validators import validate_slug
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.services import create_organisation
from pressdesk.management import TranslatedCommand, gettext_lazy


class Command(TranslatedCommand):
    help = gettext_lazy("Create or list organisations.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|list")
        create = sub.add_parser("create", help=gettext_lazy("Create an organisation."))
        create.add_argument("name", help=gettext_lazy("Its full name."))
        create.add_argument(
            "--slug", default="", help=gettext_lazy("Its short name in URLs (default: from NAME).")
        )
        create.add_argument(
            "--timezone",
            default="Europe/Paris",
            help=gettext_lazy("Its time zone (default: Europe/Paris)."),
        )
        listing = sub.add_parser("list", help=gettext_lazy("List organisations."))
        listing.add_argument("--json", action="store_true", help=gettext_lazy("Print JSON."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self.create(options["name"], options["slug"], options["timezone"])
        else:
            self.list_orgs(as_json=options["json"])

    def create(self, name: str, slug: str, tz: str) -> None:
        name = name.strip()
        if not name:
            raise CommandError(_("The name must not be empty."))
        if tz not in zoneinfo.available_timezones():
            raise CommandError(_("Unknown time zone %(tz)s, e.g. Europe/Paris.") % {"tz": tz})
        if slug:
            try:
                validate_slug(slug)
            except ValidationError:
                raise CommandError(
                    _("The short name may hold only letters, digits, - and _.")
                ) from None
            if Organisation.objects.filter(slug=slug).exists():
                raise CommandError(_("The short name %(slug)s is taken.") % {"slug": slug})
        org = create_organisation(name, slug=slug, timezone_name=tz)
        self.stdout.write(
            self.style.SUCCESS(
                _("Created organisation %(name)s (%(slug)s).")
                % {"name": org.name, "slug": org.slug}
            )
        )
        self.stdout.write(
            _("Add its first director: pressdesk --org %(slug)s createuser EMAIL --role director")
            % {"slug": org.slug}
        )

    def list_orgs(self, *, as_json: bool) -> None:
        orgs = Organisation.objects.annotate(members=Count("memberships")).order_by("slug")
        rows: list[dict[str, Any]] = [
            {"slug": o.slug, "name": o.name, "timezone": o.timezone, "members": o.members}
            for o in orgs
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write(_("No organisation yet."))
            return
        width = max(len(r["slug"]) for r in rows)
        for r in rows:
            count = r["members"]
            members = ngettext("%(count)s member", "%(count)s members", count) % {"count": count}
            self.stdout.write(f"{r['slug']:<{width}}  {r['name']}  ({r['timezone']}, {members})")
