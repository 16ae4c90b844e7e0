"""Reading replies and bounces from the mailbox named by REPLIES_IMAP_URL.

imap://user:password@host:143/INBOX (imaps:// for TLS, port 993 by default). Unseen messages are
fetched without marking them (BODY.PEEK), each is recorded (inbound.record_incoming), and only
after that commit is it flagged \\Seen, or moved to REPLIES_IMAP_PROCESSED when that names a
folder ("Pressdesk/Processed"). A crash in between reads the message again, and the MailEvent's
uniqueness records it once. A message that answers none of our mailings is left unseen for a
person to read, with a keyword so that the next poll skips it; it is counted and logged.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import re
import ssl
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pressdesk.accounts.models import Organisation
from pressdesk.mailings import inbound

log = logging.getLogger(__name__)

# Left on messages that answer none of our mailings, so each poll does not read them again.
UNMATCHED = "$PressdeskUnmatched"
BATCH = 200  # messages read per poll: a full mailbox is worked through over several polls
TIMEOUT = 30.0
LIST_RE = re.compile(rb'\((?P<flags>[^)]*)\) (?:"(?P<delim>[^"]*)"|NIL) ')


@dataclass(frozen=True)
class Mailbox:
    """Where replies are read: the parts of REPLIES_IMAP_URL."""

    host: str
    port: int
    user: str
    password: str
    folder: str
    tls: bool

    @classmethod
    def from_url(cls, url: str) -> Mailbox:
        """Read imap://user:pass@host:port/FOLDER; ImproperlyConfigured saying what is wrong."""
        parts = urlsplit(url)
        if parts.scheme not in ("imap", "imaps"):
            raise ImproperlyConfigured(
                f"REPLIES_IMAP_URL: scheme must be imap:// or imaps://, not {parts.scheme!r}"
            )
        if not parts.hostname or not parts.username:
            raise ImproperlyConfigured("REPLIES_IMAP_URL: needs a user and a host")
        tls = parts.scheme == "imaps"
        try:
            port = parts.port or (993 if tls else 143)
        except ValueError as exc:
            raise ImproperlyConfigured(f"REPLIES_IMAP_URL: bad port ({exc})") from exc
        return cls(
            host=parts.hostname,
            port=port,
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
        )


@dataclass
class FetchResult:
    """What one poll did, for the CLI and the logs."""

    fetched: int = 0
    recorded: int = 0
    unmatched: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        """The counts as JSON-ready values."""
        return asdict(self)


def configured() -> bool:
    """Whether a replies mailbox is set."""
    return bool(getattr(settings, "REPLIES_IMAP_URL", ""))


def connect(box: Mailbox) -> imaplib.IMAP4:
    """A logged-in connection with the folder selected."""
    conn: imaplib.IMAP4
    if box.tls:
        conn = imaplib.IMAP4_SSL(
            box.host, box.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT
        )
    else:
        conn = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT)
    conn.login(box.user, box.password)
    status, data = conn.select(_quoted(box.folder))
    if status != "OK":
        conn.logout()
        raise imaplib.IMAP4.error(f"cannot open folder {box.folder!r}: {data!r}")
    return conn


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ok(result: tuple[str, Any], what: str) -> Any:
    status, data = result
    if status != "OK":
        raise imaplib.IMAP4.error(f"{what}: {data!r}")
    return data


def _processed_folder(conn: imaplib.IMAP4, name: str) -> str:
    """The processed folder in the server's hierarchy (Dovecot's maildir uses "."), created."""
    data = _ok(conn.list('""', '""'), "LIST")
    found = LIST_RE.match(data[0] or b"") if data and isinstance(data[0], bytes) else None
    delim = found.group("delim").decode() if found and found.group("delim") else "/"
    folder = name.replace("/", delim)
    conn.create(_quoted(folder))  # "already exists" is fine
    return folder


def fetch_replies(url: str | None = None, *, batch: int = BATCH) -> FetchResult:
    """Read the unseen messages once: record each, then mark or move it; the counts."""
    url = url or getattr(settings, "REPLIES_IMAP_URL", "")
    if not url:
        raise ImproperlyConfigured("REPLIES_IMAP_URL is not set")
    box = Mailbox.from_url(url)
    result = FetchResult()
    conn = connect(box)
    try:
        processed = getattr(settings, "REPLIES_IMAP_PROCESSED", "")
        target = _processed_folder(conn, processed) if processed else ""
        data = _ok(conn.uid("SEARCH", "UNSEEN", "UNKEYWORD", UNMATCHED), "SEARCH")
        uids = [u.decode() for u in (data[0] or b"").split()[:batch]]
        for uid in uids:
            _one(conn, uid, target, result)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            conn.logout()
    if result.unmatched:
        log.info("replies mailbox: %d message(s) matched no mailing, left unread", result.unmatched)
    return result


def _one(conn: imaplib.IMAP4, uid: str, target: str, result: FetchResult) -> None:
    data = _ok(conn.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
    raw = next((part[1] for part in data if isinstance(part, tuple)), None)
    if raw is None:
        return
    result.fetched += 1
    try:
        org: Organisation | None = inbound.owner(raw)
        event = inbound.record_incoming(org, raw, source="imap") if org else None
    except Exception:
        # Left unseen: the next poll tries again; the others go on.
        log.exception("replies mailbox: message %s could not be recorded", uid)
        result.failed += 1
        return
    if event is None:
        result.unmatched += 1
        _ok(conn.uid("STORE", uid, "+FLAGS", f"({UNMATCHED})"), "STORE")
        return
    result.recorded += 1
    # Only now, after the commit: a crash before this line reads the message again.
    if target and "MOVE" in conn.capabilities:
        _ok(conn.uid("MOVE", uid, _quoted(target)), "MOVE")
    elif target:
        _ok(conn.uid("COPY", uid, _quoted(target)), "COPY")
        _ok(conn.uid("STORE", uid, "+FLAGS", "(\\Seen \\Deleted)"), "STORE")
        _ok(conn.uid("EXPUNGE", uid), "EXPUNGE")
    else:
        _ok(conn.uid("STORE", uid, "+FLAGS", "(\\Seen)"), "STORE")


def poll() -> FetchResult | None:
    """The periodic job: one read of the mailbox when one is configured."""
    if not configured():
        return None
    return fetch_replies()
