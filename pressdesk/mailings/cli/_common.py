"""What the `pressdesk mailings` sub-commands share: who acts, which mailing, errors, status.

Who acts: `--user EMAIL` (or $PRESSDESK_USER) acts as that member, with their role's rights, as
in the app; without it, the person at the server's shell, whom the audit log names `cli:<login>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.ledger import ExclusionReason
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.management import gettext_lazy
from pressdesk.orgs import add_org_argument, cli_actor_label, resolve_org
from pressdesk.releases.cli.export import acting_member, add_user_argument

T = TypeVar("T")


def add_common_arguments(parser: CommandParser, *, with_id: bool = True) -> None:
    """ID (unless creating), --org and --user."""
    if with_id:
        parser.add_argument(
            "mailing_id", type=int, metavar="ID", help=gettext_lazy("The mailing’s number.")
        )
    add_org_argument(parser)
    add_user_argument(parser)


def actor(org: Organisation, options: dict[str, Any], perm: str) -> tuple[User | None, str]:
    """(the member acting, checked for `perm`, or None) and the audit log's label for them."""
    user = acting_member(org, options.get("user"), perm)
    return user, "" if user else cli_actor_label()


def mailing_of(org: Organisation, mailing_id: int) -> Mailing:
    """The organisation's mailing, or a CommandError naming what was asked."""
    found = Mailing.objects.for_org(org).select_related("org").filter(pk=mailing_id).first()
    if found is None:
        raise CommandError(
            _("There is no mailing %(id)s in %(org)s.") % {"id": mailing_id, "org": org.name}
        )
    return found


def target(options: dict[str, Any], perm: str) -> tuple[Mailing, User | None, str]:
    """The mailing named by ID in the organisation of --org, and who acts on it."""
    org = resolve_org(options.get("org"))
    user, label = actor(org, options, perm)
    return mailing_of(org, options["mailing_id"]), user, label


@contextmanager
def domain_errors() -> Iterator[None]:
    """A refused action exits with status 1 and the reason, in the reader's language."""
    try:
        yield
    except PermissionDenied as e:
        raise CommandError(str(e) or _("Your role does not allow this.")) from None
    except MailingError as e:
        raise CommandError(str(e)) from None


def run(call: Callable[[], T]) -> T:
    """Call a service, turning its refusals into CommandError."""
    with domain_errors():
        return call()


def state_label(state: str) -> str:
    """A mailing's state in words."""
    return str(MailingState(state).label)


def describe(status: dict[str, Any]) -> list[str]:
    """`status` for people: a few lines."""
    lines = [
        _("Mailing %(id)s: %(state)s")
        % {"id": status["id"], "state": state_label(status["state"])},
    ]
    if status.get("state_reason"):
        lines.append("  " + status["state_reason"])
    counts = [
        (pgettext("mailing status", "Recipients"), status["recipients"]),
        (pgettext("mailing status", "Queued"), status["queued"]),
        (pgettext("mailing status", "Sent"), status["sent"]),
        (pgettext("mailing status", "Refused"), status["failed"]),
        (pgettext("mailing status", "Unknown (to decide)"), status["unknown"]),
        (pgettext("mailing status", "Bounced"), status["bounced"]),
        (pgettext("mailing status", "Replied"), status["replied"]),
        (pgettext("mailing status", "Unsubscribed"), status["unsubscribed"]),
    ]
    width = max(len(label) for label, _n in counts)
    lines += [f"  {label:<{width}}  {value}" for label, value in counts]
    excluded = {k: v for k, v in status["excluded"].items() if v}
    if excluded:
        lines.append("  " + pgettext("mailing status", "Excluded"))
        lines += [
            f"    {ExclusionReason(reason).label}: {count}" for reason, count in excluded.items()
        ]
    return lines
