"""`pressdesk mailings create (--release ID | --subject TEXT --body-file FILE)
(--list NAME | --segment NAME)… [--schedule ISO] [--json]`: a new mailing.

Prints the new mailing's id first (then, with --json, the mailing as `status --json` does).
With --schedule it is also scheduled: it needs the `send` permission, and for a release, the
release approved.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models import ContactList
from pressdesk.mailings import services
from pressdesk.mailings.cli._common import actor, add_common_arguments, domain_errors
from pressdesk.management import gettext_lazy
from pressdesk.orgs import resolve_org

NAME = "create"
HELP = gettext_lazy("Create a mailing of a release or of free text to lists and segments.")
MAX_BODY_BYTES = 1024 * 1024


def add_arguments(parser: CommandParser) -> None:
    add_common_arguments(parser, with_id=False)
    parser.add_argument(
        "--release", type=int, metavar="ID", help=gettext_lazy("The release to send.")
    )
    parser.add_argument(
        "--subject", metavar="TEXT", help=gettext_lazy("The subject line of the mail.")
    )
    parser.add_argument(
        "--body-file",
        metavar="FILE",
        help=gettext_lazy("The message (Markdown with merge fields such as {{ first_name }})."),
    )
    parser.add_argument(
        "--list", action="append", default=[], metavar="NAME", help=gettext_lazy("A static list.")
    )
    parser.add_argument(
        "--segment",
        action="append",
        default=[],
        metavar="NAME",
        help=gettext_lazy("A saved segment."),
    )
    parser.add_argument(
        "--schedule",
        metavar="ISO",
        help=gettext_lazy("When to send (2026-03-03T09:00, in the organisation's time zone)."),
    )
    parser.add_argument("--from", dest="sender_email", metavar="EMAIL", default="")
    parser.add_argument(
        "--json", action="store_true", help=gettext_lazy("Print the mailing as JSON too.")
    )


def audience(org: Organisation, names: list[str], kind: str) -> list[ContactList]:
    """The lists (or segments) named, each found by its exact name."""
    found = []
    for name in names:
        match = ContactList.objects.for_org(org).filter(name=name, kind=kind).first()
        if match is None:
            known = ", ".join(
                ContactList.objects.for_org(org)
                .filter(kind=kind)
                .order_by("name")
                .values_list("name", flat=True)
            )
            message = (
                _("There is no list named “%(name)s”. Lists: %(known)s.")
                if kind == ContactList.STATIC
                else _("There is no segment named “%(name)s”. Segments: %(known)s.")
            )
            raise CommandError(message % {"name": name, "known": known or "—"})
        found.append(match)
    return found


def schedule_at(value: str, org: Organisation) -> datetime:
    """An ISO 8601 instant; without an offset, in the organisation's time zone."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("--schedule: “%(value)s” is not a date and time such as 2026-03-03T09:00.")
            % {"value": value}
        ) from None
    if timezone.is_naive(at):
        at = at.replace(tzinfo=ZoneInfo(org.timezone))
    if at <= timezone.now():
        raise CommandError(_("--schedule: that time has passed."))
    return at


def read_body(path: str) -> str:
    """The body file's text (UTF-8)."""
    try:
        data = Path(path).read_bytes()[: MAX_BODY_BYTES + 1]
    except OSError as e:
        raise CommandError(f"{path}: {e.strerror or e}") from None
    if len(data) > MAX_BODY_BYTES:
        raise CommandError(_("%(file)s: the message is too long.") % {"file": path})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CommandError(
            _("%(file)s: not UTF-8 text (byte %(at)s).") % {"file": path, "at": e.start}
        ) from None


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    org = resolve_org(options.get("org"))
    release_id = options.get("release")
    if release_id is not None and (options.get("subject") or options.get("body_file")):
        raise CommandError(_("Give either --release, or --subject and --body-file."))
    if release_id is None and not (options.get("subject") and options.get("body_file")):
        raise CommandError(_("Give --release ID, or --subject TEXT and --body-file FILE."))
    lists = audience(org, options["list"], ContactList.STATIC)
    lists += audience(org, options["segment"], ContactList.SEGMENT)
    if not lists:
        raise CommandError(_("Give at least one --list or --segment."))
    at = schedule_at(options["schedule"], org) if options.get("schedule") else None
    user, label = actor(org, options, "edit" if release_id is not None else "send")
    fields: dict[str, Any] = {"lists": lists, "sender_email": options["sender_email"]}
    if release_id is not None:
        fields |= {"kind": "release", "release_id": release_id}
    else:
        fields |= {
            "kind": "free",
            "subject": options["subject"],
            "body": read_body(options["body_file"]),
        }
    with domain_errors():
        mailing = services.create_mailing(org, user, **fields)
        if at is not None:
            services.start(mailing, user, at=at, actor_label=label)
    command.stdout.write(str(mailing.pk))
    if options.get("json"):
        command.stdout.write(json.dumps(services.status(mailing), ensure_ascii=False))
