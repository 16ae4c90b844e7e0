""" "Send me a test": one recipient's message, as they would get it, to the user's own address.

The subject is marked [TEST], the unsubscribe links are inert (no ledger row is behind them),
and the send is written to the audit log. It goes through the engine's transport, the one place
mail leaves Pressdesk, but never through the ledger: a test is not part of the mailing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.accounts import audit
from pressdesk.accounts.models import AUDIT_ACTIONS, User
from pressdesk.contacts.models import Contact
from pressdesk.mailings import transport as transports
from pressdesk.mailings.compose import Composer
from pressdesk.mailings.errors import MailingError
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingKind
from pressdesk.mailings.services import require

AUDIT_ACTIONS.setdefault("mailing.test_send", gettext_lazy("Test of a mailing sent"))
TEST_MARK = "[TEST]"


def send_test(mailing: Mailing, user: User, contact: Contact | None = None) -> str:
    """Send `contact`'s message (the audience's first by default) to the user; the server's
    answer. Needs what editing the mailing needs (`send` for pitches and free text)."""
    require(mailing.org_id, user, "edit" if mailing.kind == MailingKind.RELEASE else "send")
    if not user.email:
        raise MailingError(_("Your account has no email address to send the test to."))
    composer = Composer(mailing)
    sample = contact or _first_of_audience(mailing)
    if sample is None:
        raise MailingError(_("Add at least one recipient to see how the message reads."))
    row = composer.sample_recipient(sample, address=user.email)
    row.name = user.full_name
    rendered = composer.render(row, subject_prefix=TEST_MARK)
    try:
        reply = transports.transport().send(
            rendered.data, rendered.sender, rendered.to, smtputf8=rendered.smtputf8
        )
    except transports.TransportError as error:
        raise MailingError(
            _("The mail server did not take the test: %(error)s") % {"error": error}
        ) from error
    audit.record(
        "mailing.test_send",
        org=mailing.org,
        actor=user,
        obj=mailing,
        to=user.email,
        sample_contact=sample.pk,
    )
    return reply


def _first_of_audience(mailing: Mailing) -> Contact | None:
    from pressdesk.mailings import ledger

    ids = ledger.plan(mailing).sample
    if not ids:
        ids = list(mailing.contacts.values_list("pk", flat=True)[:1])
    if not ids:
        return None
    return Contact.objects.for_org(mailing.org_id).filter(pk=ids[0]).first()
