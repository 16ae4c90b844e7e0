"""Django's mail backend over the engine's transport: set as EMAIL_BACKEND when EMAIL_URL is set,
so password resets, invitations, alerts and every other system mail leave through the same
SMTP configuration, schemes and failure split as the mailings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from pressdesk.mailings import transport as transports


def envelope_sender(composed: str) -> str:
    """The SMTP MAIL FROM: MAILINGS_RETURN_PATH (a bounce mailbox), else the message's sender."""
    return getattr(settings, "MAILINGS_RETURN_PATH", "") or composed


def deliver(message: EmailMessage, transport: transports.Transport) -> str:
    """One Django message through the engine's transport, to each of its recipients; the
    server's answer, or a TransportError (Refused, Deferred, Uncertain)."""
    # Django's MIME classes take a line separator; SMTP wants CRLF on the wire.
    mime: Any = message.message()
    data = mime.as_bytes(linesep="\r\n")
    sender = envelope_sender(str(message.from_email))
    replies = [
        transport.send(data, sender, to, smtputf8=not to.isascii()) for to in message.recipients()
    ]
    return "; ".join(replies)[:500]


class EmailBackend(BaseEmailBackend):
    """One SMTP session per opened connection (system mail is sent from web processes, whose
    threads must not share the workers' kept session)."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.session: transports.SmtpTransport | transports.FileTransport | None = None

    def open(self) -> bool:
        """Prepare a session (the server is reached on the first message)."""
        if self.session is not None:
            return False
        endpoint = transports.configured_endpoint()
        self.session = (
            transports.FileTransport(endpoint)
            if endpoint.file_path
            else transports.SmtpTransport(endpoint)
        )
        return True

    def close(self) -> None:
        """QUIT."""
        if self.session is not None:
            self.session.close()
            self.session = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send each message to each of its recipients; the number of messages sent."""
        if not email_messages:
            return 0
        opened = self.open()
        sent = 0
        try:
            assert self.session is not None
            for message in email_messages:
                if not message.recipients():
                    continue
                try:
                    deliver(message, self.session)
                except transports.TransportError:
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        finally:
            if opened:
                self.close()
        return sent
