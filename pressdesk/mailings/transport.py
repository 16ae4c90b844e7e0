"""The mail server connection of the engine: EMAIL_URL, one persistent SMTP session per worker.

    EMAIL_URL=smtp://user:pass@host:25        plain SMTP (a relay on the same network)
    EMAIL_URL=smtp+tls://user:pass@host:587   STARTTLS
    EMAIL_URL=smtp+ssl://user:pass@host:465   TLS from the first byte
    ?timeout=30 sets the seconds to wait for the server (default EMAIL_TIMEOUT).

Without EMAIL_URL the EMAIL_HOST settings apply; without those either, messages are written to
EMAIL_FILE_PATH as .eml files (development), as Django's file backend does.

Each send goes through MAIL, RCPT and DATA separately, so that a failure says what is known:
- `Refused`: the server answered 5xx for this recipient; the message did not leave.
- `Deferred`: 4xx, a lost or timed-out connection before DATA, or a refused sender; the message
  did not leave and may be tried again later.
- `Uncertain`: the connection broke during DATA; the server may or may not have taken the
  message. Never retried by the engine: an operator decides.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SCHEMES = {"smtp": (25, ""), "smtp+tls": (587, "starttls"), "smtp+ssl": (465, "ssl")}
# An idle session older than this is checked with NOOP before use (servers drop idle clients).
IDLE_CHECK_SECONDS = 30.0


class TransportError(Exception):
    """A send that did not end with the server's acceptance."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class Refused(TransportError):
    """5xx for this recipient: the message will never be accepted as it is."""


class Deferred(TransportError):
    """Not sent now (4xx, connection lost before DATA, timeout): safe to try again later."""


class Uncertain(TransportError):
    """The connection broke while the server was taking the message: its fate is unknown."""


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    security: str  # "", "starttls" or "ssl"
    user: str = ""
    password: str = ""
    timeout: float = 30.0
    file_path: str = ""  # set for the development file transport

    def __str__(self) -> str:
        if self.file_path:
            return f"file:{self.file_path}"
        scheme = {"": "smtp", "starttls": "smtp+tls", "ssl": "smtp+ssl"}[self.security]
        return f"{scheme}://{self.host}:{self.port}"  # never the password


def parse_url(url: str, *, timeout: float = 30.0) -> Endpoint:
    """An EMAIL_URL as an Endpoint; ImproperlyConfigured says what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown scheme {parts.scheme!r}; use smtp://, smtp+tls:// or smtp+ssl://"
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL: no host (smtp://user:pass@host:port)")
    default_port, security = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError as e:
        raise ImproperlyConfigured(f"EMAIL_URL: {e}") from None
    query = parse_qs(parts.query)
    if "timeout" in query:
        try:
            timeout = float(query["timeout"][0])
        except ValueError:
            raise ImproperlyConfigured("EMAIL_URL: timeout must be a number of seconds") from None
    return Endpoint(
        host=parts.hostname,
        port=port,
        security=security,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def configured_endpoint() -> Endpoint:
    """EMAIL_URL if set, else the EMAIL_HOST settings, else the development file folder."""
    timeout = float(getattr(settings, "EMAIL_TIMEOUT", None) or 30)
    url = getattr(settings, "EMAIL_URL", "")
    if url:
        return parse_url(url, timeout=timeout)
    if settings.EMAIL_HOST:
        security = "ssl" if settings.EMAIL_USE_SSL else "starttls" if settings.EMAIL_USE_TLS else ""
        return Endpoint(
            host=settings.EMAIL_HOST,
            port=int(settings.EMAIL_PORT),
            security=security,
            user=settings.EMAIL_HOST_USER,
            password=settings.EMAIL_HOST_PASSWORD,
            timeout=timeout,
        )
    return Endpoint("", 0, "", file_path=str(getattr(settings, "EMAIL_FILE_PATH", "var/mail")))


class Transport(Protocol):
    def send(self, data: bytes, sender: str, recipient: str, *, smtputf8: bool = False) -> str:
        """Hand one message over; the server's answer, or a TransportError."""

    def close(self) -> None:
        """Say goodbye to the server (or do nothing)."""


class SmtpTransport:
    """One SMTP session, opened on first use and kept for the next messages."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.conn: smtplib.SMTP | None = None
        self.last_used = 0.0

    def _connect(self) -> smtplib.SMTP:
        e = self.endpoint
        try:
            conn: smtplib.SMTP
            if e.security == "ssl":
                conn = smtplib.SMTP_SSL(
                    e.host, e.port, timeout=e.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(e.host, e.port, timeout=e.timeout)
            conn.ehlo()
            if e.security == "starttls":
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if e.user:
                conn.login(e.user, e.password)
        except smtplib.SMTPAuthenticationError as err:
            raise Deferred(f"{e}: login refused ({err.smtp_code})", err.smtp_code) from err
        except smtplib.SMTPResponseException as err:
            raise Deferred(f"{e}: {err.smtp_code} {_text(err.smtp_error)}", err.smtp_code) from err
        except (OSError, smtplib.SMTPException) as err:
            raise Deferred(f"{e}: cannot connect ({err})") from err
        return conn

    def _session(self) -> smtplib.SMTP:
        if self.conn is not None and time.monotonic() - self.last_used > IDLE_CHECK_SECONDS:
            try:
                code, _msg = self.conn.noop()
                if code != 250:
                    self.close()
            except (OSError, smtplib.SMTPException):
                self.close()
        if self.conn is None:
            self.conn = self._connect()
        return self.conn

    def send(self, data: bytes, sender: str, recipient: str, *, smtputf8: bool = False) -> str:
        """MAIL, RCPT, DATA; a fresh session once if a kept one turns out to be closed."""
        try:
            return self._send(data, sender, recipient, smtputf8)
        except _Stale:
            self.close()
            return self._send(data, sender, recipient, smtputf8)

    def _send(self, data: bytes, sender: str, recipient: str, smtputf8: bool) -> str:
        kept = self.conn is not None
        conn = self._session()
        options = ["SMTPUTF8"] if smtputf8 or _needs_utf8(sender, recipient) else []
        try:
            code, reply = conn.mail(sender, options)
            if code != 250:
                self._reset(conn)
                if code == 421:
                    self.close()
                raise Deferred(f"sender refused: {code} {_text(reply)}", code)
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                self._reset(conn)
                if code == 421:
                    self.close()
                if 500 <= code < 600:
                    raise Refused(f"{code} {_text(reply)}", code)
                raise Deferred(f"{code} {_text(reply)}", code)
        except smtplib.SMTPServerDisconnected as err:
            self.conn = None
            if kept:
                raise _Stale from err
            raise Deferred(f"connection lost: {err}") from err
        except (OSError, smtplib.SMTPException) as err:
            self.close()
            raise Deferred(f"{type(err).__name__}: {err}") from err
        try:
            code, reply = conn.data(data)
        except smtplib.SMTPDataError as err:
            # An answer to the end of data: the server decided, nothing is uncertain.
            code, reply = err.smtp_code, _bytes(err.smtp_error)
        except (OSError, smtplib.SMTPException) as err:
            self.close()
            raise Uncertain(f"{type(err).__name__} during DATA: {err}") from err
        self.last_used = time.monotonic()
        if code == 250:
            return f"{code} {_text(reply)}"[:500]
        self._reset(conn)
        if code == 421:
            self.close()
        if 500 <= code < 600:
            raise Refused(f"{code} {_text(reply)}", code)
        raise Deferred(f"{code} {_text(reply)}", code)

    def _reset(self, conn: smtplib.SMTP) -> None:
        try:
            conn.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        """QUIT if the session is still up."""
        conn, self.conn, self.last_used = self.conn, None, 0.0
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            with contextlib.suppress(OSError):
                conn.close()


class FileTransport:
    """Development: each message as an .eml file in a folder (no mail leaves the machine)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.folder = Path(endpoint.file_path)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, data: bytes, sender: str, recipient: str, *, smtputf8: bool = False) -> str:
        """Write the message, envelope first, as Django's file backend does."""
        name = f"{time.time_ns()}-{socket.gethostname()}-{os.getpid()}.eml"
        envelope = f"X-Envelope-From: {sender}\r\nX-Envelope-To: {recipient}\r\n"
        (self.folder / name).write_bytes(envelope.encode("utf-8") + data)
        return f"250 written to {name}"

    def close(self) -> None:
        """Nothing to close."""


class _Stale(Exception):
    """A kept session turned out closed before anything was sent: reconnect and retry once."""


_SESSIONS: dict[Endpoint, Transport] = {}


def transport(endpoint: Endpoint | None = None) -> Transport:
    """The worker's session with the configured server, kept between batches and tasks."""
    endpoint = endpoint or configured_endpoint()
    found = _SESSIONS.get(endpoint)
    if found is None:
        found = FileTransport(endpoint) if endpoint.file_path else SmtpTransport(endpoint)
        _SESSIONS[endpoint] = found
    return found


def close_all() -> None:
    """Close every kept session (tests, and a worker that stops)."""
    for session in _SESSIONS.values():
        session.close()
    _SESSIONS.clear()


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _bytes(reply: bytes | str) -> bytes:
    return reply if isinstance(reply, bytes) else reply.encode("utf-8", "replace")


def _needs_utf8(*addresses: str) -> bool:
    return any(not a.isascii() for a in addresses)


def probe(endpoint: Endpoint) -> list[str]:
    """Connect as the engine would (EHLO, STARTTLS and login where configured), then QUIT; the
    steps the server went through, or Deferred saying where it stopped (never the password)."""
    if endpoint.file_path:
        return []
    session = SmtpTransport(endpoint)
    session.conn = session._connect()
    session.close()
    steps = ["EHLO"]
    if endpoint.security == "starttls":
        steps.append("STARTTLS")
    if endpoint.user:
        steps.append("login")
    return steps
