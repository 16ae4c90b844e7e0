"""`pressdesk releases export ID --format pdf|docx [--output FILE]`: a release as a document.

Who exports: `--user EMAIL` (or $PRESSDESK_USER) acts as that member, with their role's rights,
as in the app; without it, the person at the server's shell, whom the audit log names `cli:<login>`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import can
from pressdesk.management import gettext_lazy
from pressdesk.orgs import add_org_argument, cli_actor_label, resolve_org
from pressdesk.releases import exporting
from pressdesk.releases.models import Release

NAME = "export"
HELP = gettext_lazy("Write a release as a PDF or Word document.")
USER_ENV = "PRESSDESK_USER"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("release_id", type=int, metavar="ID", help=gettext_lazy("The release."))
    parser.add_argument("--format", choices=exporting.FORMATS, default=exporting.PDF)
    parser.add_argument(
        "--output",
        metavar="FILE",
        help=gettext_lazy("Where to write it (default: the release's address, in this folder)."),
    )
    add_user_argument(parser)
    add_org_argument(parser)


def add_user_argument(parser: CommandParser) -> None:
    """`--user EMAIL`: act as this member, with their role's rights."""
    parser.add_argument(
        "--user",
        metavar="EMAIL",
        help=gettext_lazy("Act as this member, with their role (default: $PRESSDESK_USER)."),
    )


def acting_member(org: Organisation, email: str | None, perm: str) -> User | None:
    """The member named by --user or $PRESSDESK_USER, checked for `perm`; None for the shell."""
    email = email or os.environ.get(USER_ENV) or None
    if not email:
        return None
    member = (
        Membership.objects.for_org(org)
        .select_related("user")
        .filter(user__email__iexact=email)
        .first()
    )
    if member is None:
        raise CommandError(
            _("%(email)s is not a member of %(org)s.") % {"email": email, "org": org.name}
        )
    if not can(member.role, perm):
        raise CommandError(
            _("%(email)s’s role (%(role)s) does not allow this.")
            % {"email": email, "role": member.get_role_display()}
        )
    return member.user


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    org = resolve_org(options.get("org"))
    actor = acting_member(org, options.get("user"), "export")
    release = Release.objects.for_org(org).filter(pk=options["release_id"]).first()
    if release is None:
        raise CommandError(
            _("There is no release %(id)s in %(org)s.")
            % {"id": options["release_id"], "org": org.name}
        )
    if release.current_version_id is None and not release.versions.exists():
        raise CommandError(_("This release has no saved version yet."))
    file_format = options["format"]
    output = Path(options.get("output") or exporting.file_name(release, file_format))
    data = exporting.export_release(
        release, file_format, actor=actor, actor_label="" if actor else cli_actor_label()
    )
    output.write_bytes(data)
    command.stdout.write(
        _("Wrote %(file)s (%(size)s bytes).") % {"file": output, "size": len(data)}
    )
