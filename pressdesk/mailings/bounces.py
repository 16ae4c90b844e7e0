"""Reading bounces and auto-replies: which addresses failed, how, and whether they are dead.

The structure first: a delivery status notification (RFC 3464, message/delivery-status) says
per recipient what happened. Without one, flufl.bounce's detectors, which know the wording of
Postfix, Exim, Sendmail, qmail, Exchange, Yahoo and many more, find the addresses; the status,
reply code and reason are then read from the lines around each address. Whether a failure is
hard is ours to say (classify.py). Auto-replies (autoreplies.py) carry no recipients but may
give a return date or a new address.

A message is untrusted input: it is parsed with the stdlib email package, capped in size, and a
broken one is read as far as it goes, never raising.
"""

from __future__ import annotations

import email
import email.message
import email.utils
import html
import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from email import policy
from typing import Any, Literal

from flufl.bounce import all_failures

from pressdesk.mailings import autoreplies, classify

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 5 * 1024 * 1024  # a bounce quoting a large original is cut here
MAX_PART_CHARS = 100_000  # text read from one part
MAX_PARTS = 200  # parts walked in one message
MAX_REASON_CHARS = 300

Kind = Literal["bounce", "auto_reply", "other"]


@dataclass(frozen=True)
class Recipient:
    """One failed recipient of a bounce."""

    address: str
    status: str | None  # RFC 3463 enhanced status code, "5.1.1"
    reply_code: int | None  # SMTP reply code, 550
    hard: bool  # the address itself is dead
    reason: str  # the server's words, shortened


@dataclass(frozen=True)
class BounceReport:
    """What a message says about delivery: a bounce, an auto-reply, or neither."""

    kind: Kind
    recipients: list[Recipient] = field(default_factory=list)
    new_address: str | None = None
    return_date: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready values (dates in ISO form)."""
        data = asdict(self)
        data["return_date"] = self.return_date.isoformat() if self.return_date else None
        return data


BOUNCE_SENDER_RE = re.compile(
    r"mailer[-_ ]?daemon|postmaster|mail delivery|mail administrator|mdaemon|mailerdaemon"
    r"|microsoftexchange|internet mail delivery|mail system|mail transport",
    re.IGNORECASE,
)
BOUNCE_SUBJECT_RE = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|failed|problem|report)"
    r"|returned mail|failure notice|mail delivery failed|could not be delivered"
    r"|delivery has failed|non[- ]?delivery|warning: (?:message|could not)|delayed mail"
    r"|non remis|non distribu|échec de (?:la )?(?:remise|distribution)|message retourné"
    r"|rapport de non-remise|impossible de (?:remettre|distribuer)|erreur de distribution",
    re.IGNORECASE,
)
AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-mailautoreply")
# A dot-atom local part (no leading, trailing or doubled dot) and a domain with a dot.
ADDRESS_RE = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@[\w-]+(?:\.[\w-]+)+", re.UNICODE
)
# Where a text-only notice starts quoting the original message.
COPY_MARKER_RE = re.compile(
    r"^[ \t>-]*(?:-{2,} ?)?(?:this is a copy of|below this line is a copy|original message"
    r"|copy of the message|message d['’]origine|texte du message|en-têtes du message"
    r"|the original message|message original)",
    re.IGNORECASE | re.MULTILINE,
)
TAG_RE = re.compile(r"<(?:style|script)\b.*?</(?:style|script)>|<[^>]*>", re.I | re.S)
SPACE_RE = re.compile(r"\s+")


def read_bounce(message: bytes) -> BounceReport:
    """Read a raw message: its kind, failed recipients, new address and return date."""
    data = message[:MAX_MESSAGE_BYTES]
    try:
        msg = email.message_from_bytes(data, policy=policy.default)
        return _read(msg, data)
    except Exception:
        log.warning("unreadable message", exc_info=True)
        return BounceReport("other")


def _read(msg: email.message.Message, data: bytes) -> BounceReport:
    text = _body_text(msg)
    subject = _header(msg, "subject")
    exclude = {a.lower() for a in _addresses(msg, "from", "to", "reply-to", "cc")}
    new_address = autoreplies.find_new_address(text, exclude)
    dsn, delivered = _dsn_recipients(msg, text)
    if dsn:
        return BounceReport("bounce", dsn, new_address)
    if delivered:  # a success notice (delivered, relayed, expanded) is not a bounce
        return BounceReport("other")
    looks_bounced = _looks_like_bounce(msg, subject)
    if looks_bounced or not _is_auto_reply(msg, subject):
        recipients = _detected_recipients(data, text, subject, exclude, looks_bounced)
        if recipients or looks_bounced:
            return BounceReport("bounce", recipients, new_address)
        return BounceReport("other")
    return BounceReport(
        "auto_reply",
        new_address=new_address,
        return_date=autoreplies.find_return_date(f"{subject}\n{text}", _sent_on(msg)),
    )


def _header(msg: email.message.Message, name: str) -> str:
    """A header as text; a header the parser chokes on is read raw."""
    try:
        value = msg.get(name)
        return "" if value is None else str(value)
    except Exception:
        for key, raw in msg.raw_items():
            if key.lower() == name:
                return str(raw)
        return ""


def _addresses(msg: email.message.Message, *names: str) -> list[str]:
    values = [_header(msg, name) for name in names]
    return [addr for _, addr in email.utils.getaddresses(values) if "@" in addr]


def _sent_on(msg: email.message.Message) -> date:
    try:
        return email.utils.parsedate_to_datetime(_header(msg, "date")).date()
    except (TypeError, ValueError, IndexError):
        return date.today()


def _looks_like_bounce(msg: email.message.Message, subject: str) -> bool:
    sender = _header(msg, "from")
    return bool(BOUNCE_SENDER_RE.search(sender) or BOUNCE_SUBJECT_RE.search(subject))


def _is_auto_reply(msg: email.message.Message, subject: str) -> bool:
    """RFC 3834 Auto-Submitted, the X-Autoreply family, or an out-of-office subject."""
    submitted = _header(msg, "auto-submitted").strip().lower()
    if submitted.startswith("auto-replied"):
        return True
    if any(_header(msg, name) for name in AUTO_HEADERS):
        return True
    return autoreplies.looks_like_auto_reply_subject(subject)


def _parts(msg: email.message.Message) -> Iterator[email.message.Message]:
    """The message's parts, not descending into a quoted original (message/rfc822)."""
    stack = [msg]
    seen = 0
    while stack and seen < MAX_PARTS:
        part = stack.pop(0)
        seen += 1
        yield part
        if part.get_content_type() == "message/rfc822":
            continue
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend(p for p in payload if isinstance(p, email.message.Message))


def _decoded(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    payload = payload[: MAX_PART_CHARS * 4]
    charset = part.get_content_charset() or "utf-8"
    try:
        text = payload.decode(charset, errors="replace")
    except LookupError:
        text = payload.decode("latin-1")
    return text[:MAX_PART_CHARS]


def _body_text(msg: email.message.Message) -> str:
    """The readable text of the notice: plain parts, else HTML without tags."""
    plain: list[str] = []
    rich: list[str] = []
    for part in _parts(msg):
        kind = part.get_content_type()
        if kind == "text/plain" or (kind == "text/rfc822-headers" and not plain):
            plain.append(_decoded(part))
        elif kind == "text/html":
            rich.append(html.unescape(TAG_RE.sub(" ", _decoded(part))))
    return "\n".join(plain or rich)


def _dsn_fields(part: email.message.Message) -> list[dict[str, str]]:
    """The field groups of a message/delivery-status part, lower-cased names."""
    payload = part.get_payload()
    groups: list[dict[str, str]] = []
    if isinstance(payload, list):
        for block in payload:
            if isinstance(block, email.message.Message):
                groups.append({k.lower(): SPACE_RE.sub(" ", str(v)) for k, v in block.raw_items()})
        return groups
    # Left as text (a broken or unusual part): split it into blocks of "Name: value" lines.
    text = _decoded(part) or (payload if isinstance(payload, str) else "")
    for block in re.split(r"\r?\n\s*\r?\n", text):
        fields: dict[str, str] = {}
        last = ""
        for line in block.splitlines():
            if line[:1] in (" ", "\t") and last:
                fields[last] += " " + line.strip()
            elif ":" in line:
                name, _, value = line.partition(":")
                last = name.strip().lower()
                fields[last] = value.strip()
        if fields:
            groups.append(fields)
    return groups


def _typed_address(value: str) -> str:
    """`rfc822; user@example.com` → user@example.com."""
    address = value.partition(";")[2] if ";" in value else value
    return address.strip().strip("<>").strip()


def _dsn_recipients(msg: email.message.Message, text: str) -> tuple[list[Recipient], bool]:
    """The failed recipients of a DSN, and whether it reports only successful deliveries."""
    delivered = False
    recipients: list[Recipient] = []
    for part in _parts(msg):
        if part.get_content_type() not in (
            "message/delivery-status",
            "message/global-delivery-status",
        ):
            continue
        for fields in _dsn_fields(part):
            raw = fields.get("original-recipient") or fields.get("final-recipient") or ""
            address = _typed_address(raw)
            if not is_address(address):
                continue
            action = fields.get("action", "failed").strip().lower()
            if action in {"delivered", "relayed", "expanded"}:
                delivered = True
                continue
            diagnostic = fields.get("diagnostic-code", "").partition(";")[2].strip()
            status = classify.find_status(fields.get("status", ""))
            if not status or status.endswith(".0.0"):
                # A generic Status: the server's own code in the diagnostic says more.
                status = classify.find_status(diagnostic) or status
            reply_code = classify.find_reply_code(diagnostic)
            words = diagnostic or _near(text, address)
            temporary = classify.is_temporary(status, reply_code, words, action)
            recipients.append(
                Recipient(
                    address=address.lower(),
                    status=status,
                    reply_code=reply_code,
                    hard=classify.is_hard(status, reply_code, words, temporary),
                    reason=_shorten(diagnostic or words),
                )
            )
    return recipients, delivered and not recipients


def is_address(address: str) -> bool:
    """Whether an address is well formed: a made-up or truncated one is no recipient."""
    return bool(ADDRESS_RE.fullmatch(address))


def _near(text: str, address: str) -> str:
    """The lines from the address's first mention on: where MTAs write why it failed."""
    at = text.lower().find(address.lower())
    if at < 0:
        return text[:2000]
    start = text.rfind("\n", 0, at) + 1
    lines = text[start:].splitlines()[:5]
    return "\n".join(lines)


def _shorten(text: str) -> str:
    reason = SPACE_RE.sub(" ", text).strip()
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1].rstrip() + "…"
    return reason


def _addresses_with_reasons(text: str, exclude: set[str]) -> list[str]:
    """Addresses of a notice no detector knew, each followed closely by a code or a reason.

    Read only above the quoted original, and never the notice's own correspondents."""
    notice = COPY_MARKER_RE.split(text, maxsplit=1)[0]
    found: list[str] = []
    for match in ADDRESS_RE.finditer(notice):
        address = match.group(0).lower()
        if address in exclude or address in found or BOUNCE_SENDER_RE.search(address):
            continue
        words = _near(notice, address)
        coded = classify.find_status(words) or classify.find_reply_code(words)
        if coded or classify.DEAD_WORDING.search(words):
            found.append(address)
    return found


def _detected_recipients(
    data: bytes, text: str, subject: str, exclude: set[str], looks_bounced: bool
) -> list[Recipient]:
    """Addresses found by flufl.bounce's detectors, with status and reason read around them."""
    try:
        temporary_set, permanent_set = all_failures(email.message_from_bytes(data))
    except Exception:
        log.warning("bounce detectors failed", exc_info=True)
        temporary_set, permanent_set = frozenset(), frozenset()
    if not (temporary_set or permanent_set) and looks_bounced:
        permanent_set = frozenset(a.encode() for a in _addresses_with_reasons(text, exclude))
    delay = bool(classify.DELAY_WORDING.search(subject))
    recipients = []
    for raw, flagged_temporary in sorted(
        [(a, True) for a in temporary_set] + [(a, False) for a in permanent_set - temporary_set]
    ):
        address = raw.decode("utf-8", errors="replace").strip().strip("<>").lower()
        if not is_address(address):
            continue
        words = _near(text, address)
        status = classify.find_status(words)
        reply_code = classify.find_reply_code(words)
        temporary = (
            flagged_temporary
            or delay
            or classify.is_temporary(status, reply_code, words)
            or bool(classify.DELAY_WORDING.search(text))
        )
        recipients.append(
            Recipient(
                address=address,
                status=status,
                reply_code=reply_code,
                hard=classify.is_hard(status, reply_code, words, temporary),
                reason=_shorten(words),
            )
        )
    return recipients
