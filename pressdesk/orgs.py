"""What the management commands share: which organisation they act on, and who is acting."""

from __future__ import annotations

import getpass
import os

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.cli import ORG_ENV
from pressdesk.management import gettext_lazy


def add_org_argument(parser: CommandParser) -> None:
    """Let a command take `--org SLUG` itself, besides `pressdesk --org SLUG <command>`."""
    parser.add_argument(
        "--org",
        metavar="SLUG",
        help=gettext_lazy(
            "The organisation to act on (default: $PRESSDESK_ORG, or the only one there is)."
        ),
    )


def resolve_org(slug: str | None = None) -> Organisation:
    """The organisation named by `--org`, else by $PRESSDESK_ORG, else the only one there is."""
    slug = slug or os.environ.get(ORG_ENV) or None
    if slug:
        org = Organisation.objects.filter(slug=slug).first()
        if org is not None:
            return org
        raise CommandError(
            _("There is no organisation %(slug)s. Known organisations: %(slugs)s.")
            % {"slug": slug, "slugs": _known_slugs()}
        )
    orgs = list(Organisation.objects.order_by("slug")[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CommandError(
            _(
                "There is no organisation yet. Create one with `pressdesk org create NAME`, "
                "or load the demo with `pressdesk demo`."
            )
        )
    raise CommandError(
        _("Several organisations exist; choose one with `pressdesk --org SLUG …`: %(slugs)s.")
        % {"slugs": _known_slugs()}
    )


def _known_slugs() -> str:
    slugs = list(Organisation.objects.order_by("slug").values_list("slug", flat=True))
    return ", ".join(slugs) if slugs else _("none")


def cli_actor_label() -> str:
    """How the audit log names someone acting from the command line."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        # In containers the uid may have no passwd entry.
        who = str(os.getuid())
    return f"cli:{who}"
