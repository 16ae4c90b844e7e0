"""Building each recipient's message: merge fields, text and HTML parts, headers.

Owned by the compose work; the engine only calls `Composer(mailing).message(recipient)` (or
`.render(recipient)` for the wire bytes), after `.prepare(batch)` for speed.

Everything common to the mailing is done once, in the constructor: the Markdown is rendered,
sanitised and set in French typography with a placeholder where each merge field goes, the
release is laid out, the footer written, the sender's headers encoded. What is left per
recipient is to join strings, escape a few values, sign two tokens and quoted-printable encode
the parts, so a worker builds well over a thousand 10 KB messages a second.
"""

from __future__ import annotations

import binascii
import html
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, parseaddr
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pressdesk.contacts.models import Contact
from pressdesk.contacts.models.contacts import Position
from pressdesk.lib.typography import french_text
from pressdesk.mailings import headers, merge, signing, tracking, unsubscribe
from pressdesk.mailings.merge import MergeError, Slot
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.models.mailing import MailingKind, ReleaseFormat
from pressdesk.releases import markup
from pressdesk.releases.conventions import notice
from pressdesk.releases.links import release_url
from pressdesk.releases.models import Release, ReleaseVersion
from pressdesk.releases.rendering import render_release_html

EXCERPT_CHARS = 400
RECIPIENT = gettext_lazy("The recipient")
SUBJECT = gettext_lazy("The subject")
MERGE_FIELD = gettext_lazy('The merge field "{field}"')


@dataclass(frozen=True)
class Preview:
    """One recipient's message as they will read it."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Rendered:
    """One message ready for SMTP: envelope, Message-ID and the bytes (CRLF line ends)."""

    sender: str
    to: str
    message_id: str
    data: bytes
    smtputf8: bool  # the recipient's local part is not ASCII: send with the SMTPUTF8 option


# A compiled part: literal strings and slots (merge fields, links, the unsubscribe address).
Parts = tuple[str | Slot, ...]


def _lang_is_french(language: str) -> bool:
    return language.lower().startswith("fr")


def _clean_value(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _excerpt(version: ReleaseVersion) -> str:
    text = version.lead.strip() or markup.plain(version.body_html)
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


_LINK = re.compile(r'<a\s[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_BLOCK_END = re.compile(r"</(p|h[1-6]|blockquote|pre|table|ul|ol)>", re.I)
_LINE_END = re.compile(r"<br\s*/?>|</(li|tr)>", re.I)
_ITEM = re.compile(r"<li[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def _link_text(match: re.Match[str]) -> str:
    target, label = html.unescape(match.group(1)), match.group(2)
    shown = html.unescape(_TAG.sub("", label)).strip()
    if not target or shown == target or (target.startswith("mailto:") and shown in target):
        return label
    return f"{label} ({html.escape(target)})"


def html_to_text(markup: str) -> str:
    """The plain-text part from sanitised HTML: paragraphs, list items, links written out."""
    text = _LINK.sub(_link_text, markup)
    text = _ITEM.sub("- ", text)
    text = _LINE_END.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def release_version(release: Release) -> ReleaseVersion | None:
    """The version a mailing sends: the approved one, else (drafts, previews) the current one."""
    version_id = release.approved_version_id or release.current_version_id
    if version_id is None:
        return None
    return ReleaseVersion.objects.select_related("release__org").get(pk=version_id)


def is_embargoed(release: Release, at: datetime | None = None) -> bool:
    """Whether the release is still under embargo at `at` (now): the mail must say so."""
    at = at or timezone.now()
    return release.embargo_until is not None and release.embargo_until > at


class Composer:
    """Renders one mailing for many recipients; what is common is prepared once."""

    def __init__(self, mailing: Mailing) -> None:
        self.mailing = mailing
        self.org = mailing.org
        self.language = mailing.language or self.org.language or "fr"
        self.french = _lang_is_french(self.language)
        self._values: dict[int, dict[str, str]] = {}
        self._nonce = secrets.token_hex(6)
        self._date_cache: tuple[int, str] = (0, "")
        # Errors (an unknown field, a line break) speak the user's language; the mail its own.
        self._prepare_headers()
        self._prepare_bodies()

    # --- prepared once ------------------------------------------------------------------------

    def _prepare_headers(self) -> None:
        mailing = self.mailing
        default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        self.sender_name = mailing.sender_name or self.org.name or default_name
        self.sender_address = mailing.sender_email or default_address
        self.from_header, from_utf8 = headers.mailbox(
            self.sender_name, self.sender_address, _("The sender"), "From"
        )
        self.envelope_from, _utf8 = headers.address(self.sender_address, _("The sender"))
        self.reply_to_header = ""
        reply_utf8 = False
        if mailing.reply_to:
            self.reply_to_header, reply_utf8 = headers.address(mailing.reply_to, _("Reply-to"))
        self.sender_utf8 = from_utf8 or reply_utf8
        self.domain = self.envelope_from.rpartition("@")[2] or "localhost"
        self.unsubscribe_mailbox = self.reply_to_header or self.envelope_from
        subject = merge.compile_template(mailing.subject, what=_("Subject"))
        for part in subject:
            if isinstance(part, str):
                headers.check_line(part, _("The subject"))
        if self.french:
            subject = tuple(french_text(p) if isinstance(p, str) else p for p in subject)
        self.subject_parts: Parts = subject
        self.boundary = f"=_pd{secrets.token_hex(12)}"
        # reverse() per message would cost more than the rest of the headers together.
        self._unsubscribe_prefix = unsubscribe.url_for("TOKEN").removesuffix("TOKEN/")

    def _unsubscribe_url(self, token: str) -> str:
        return self._unsubscribe_prefix + token + "/"

    def _sentinel(self, index: int) -> str:
        return f"zq{self._nonce}x{index}qz"

    def _prepare_bodies(self) -> None:
        mailing = self.mailing
        body = merge.compile_template(mailing.body, what=_("Message"))
        slots: list[Slot] = []

        def placeholder(slot: Slot) -> str:
            slots.append(slot)
            return self._sentinel(len(slots) - 1)

        source = "".join(p if isinstance(p, str) else placeholder(p) for p in body)
        body_html = markup.to_html(source, "fr-FR" if self.french else "en")
        body_text = html_to_text(body_html)
        intro = ""
        if mailing.intros and "intro" not in merge.fields_used(body):
            intro = placeholder(Slot("intro"))
        unsubscribe_at = placeholder(Slot("_unsubscribe"))
        pixel = placeholder(Slot("_pixel")) if mailing.track_opens else ""
        context: dict[str, Any] = {
            "mailing": mailing,
            "org": self.org,
            "lang": self.language,
            "sender_name": self.sender_name,
            "sender_address": self.sender_address,
            "body_html": mark_safe(body_html),
            "body_text": body_text,
            "intro": intro,
            "unsubscribe_url": unsubscribe_at,
            "pixel": pixel,
            **self._release_context(),
        }
        with translation.override(self.language):
            html_doc = render_to_string("mailings/emails/message.html", context)
            text_doc = render_to_string("mailings/emails/message.txt", context)
        self.html_parts = self._split(html_doc, slots, in_html=True)
        self.text_parts = self._split(text_doc, slots, in_html=False)
        self.links = [
            p.default for p in self.html_parts if isinstance(p, Slot) and p.name == "_link"
        ]

    def _release_context(self) -> dict[str, Any]:
        mailing = self.mailing
        if mailing.kind != MailingKind.RELEASE or mailing.release_id is None:
            return {}
        release = Release.objects.for_org(self.org).get(pk=mailing.release_id)
        version = release_version(release)
        if version is None:
            return {}
        embargoed = is_embargoed(release)
        context: dict[str, Any] = {
            "release": release,
            "release_url": release_url(release),
            "embargo": notice(release.embargo_until, self.org.timezone, release.template)
            if embargoed
            else "",
        }
        if mailing.release_format == ReleaseFormat.LINK:
            context["release_title"] = version.title
            context["excerpt"] = _excerpt(version)
        else:
            article = render_release_html(version, embargo_notice=embargoed)
            context["release_html"] = article
            context["release_text"] = html_to_text(article)
        return context

    def _split(self, document: str, slots: list[Slot], *, in_html: bool) -> Parts:
        """The document as literal chunks and slots; links become slots when clicks are tracked."""
        pattern = re.compile(f"zq{self._nonce}x(\\d+)qz")
        if in_html:
            for tag in re.finditer(r"<[^>]*>", document):
                found = pattern.search(tag.group(0))
                if found and slots[int(found.group(1))].name != "_unsubscribe":
                    if slots[int(found.group(1))].name == "_pixel":
                        continue
                    name = slots[int(found.group(1))].name
                    raise MergeError(
                        _(
                            'The merge field "%(field)s" cannot be used inside a link address '
                            "or an attribute. Write it in the text instead."
                        )
                        % {"field": name},
                        field=name,
                        line=0,
                        column=0,
                    )
        parts: list[str | Slot] = []
        pos = 0
        for found in pattern.finditer(document):
            parts.append(document[pos : found.start()])
            parts.append(slots[int(found.group(1))])
            pos = found.end()
        parts.append(document[pos:])
        if in_html and self.mailing.track_clicks:
            parts = self._track_links(parts)
        return tuple(p for p in parts if p != "")

    @staticmethod
    def _track_links(parts: list[str | Slot]) -> list[str | Slot]:
        out: list[str | Slot] = []
        href = re.compile(r'(<a\s[^>]*?href=")(https?://[^"]+)(")', re.I)
        for part in parts:
            if not isinstance(part, str):
                out.append(part)
                continue
            pos = 0
            for found in href.finditer(part):
                out.append(part[pos : found.end(1)])
                out.append(Slot("_link", html.unescape(found.group(2))))
                pos = found.start(3)
            out.append(part[pos:])
        return out

    # --- per recipient ------------------------------------------------------------------------

    def prepare(self, recipients: Iterable[Recipient]) -> None:
        """Load the merge values of a batch of recipients in three queries (call per batch)."""
        wanted = {r.contact_id for r in recipients if r.contact_id is not None}
        self._load([pk for pk in wanted if pk not in self._values])

    def _load(self, contact_ids: list[int]) -> None:
        if not contact_ids:
            return
        contacts = (
            Contact.objects.for_org(self.org)
            .filter(pk__in=contact_ids)
            .only("pk", "first_name", "last_name", "job_title")
        )
        outlet: dict[int, tuple[str, str]] = {}
        current = (
            Position.objects.filter(contact__in=contacts.values("pk"), end_date=None)
            .order_by("contact_id", "start_date", "pk")
            .values_list("contact_id", "outlet__name", "title")
        )
        for contact_id, outlet_name, title in current:
            outlet[contact_id] = (outlet_name, title)  # the latest started wins
        beats: dict[int, list[str]] = {}
        through = Contact.beats.through.objects.filter(contact_id__in=contact_ids)
        for contact_id, name in through.order_by("beat__name").values_list(
            "contact_id", "beat__name"
        ):
            beats.setdefault(contact_id, []).append(name)
        intros = self.mailing.intros or {}
        for contact in contacts:
            outlet_name, title = outlet.get(contact.pk, ("", ""))
            self._values[contact.pk] = self._values_of(
                contact.first_name,
                contact.last_name,
                job_title=contact.job_title or title,
                outlet=outlet_name,
                beat=", ".join(beats.get(contact.pk, [])),
                intro=str(intros.get(str(contact.pk), "")),
            )

    def _values_of(self, first: str, last: str, **more: str) -> dict[str, str]:
        values = {
            "first_name": first,
            "last_name": last,
            "full_name": f"{first} {last}".strip(),
            "greeting": merge.greeting(first, last, self.language),
            **more,
        }
        return {k: _clean_value(v) for k, v in values.items()}

    def values_for(self, contact_id: int | None, name: str = "") -> Mapping[str, str]:
        """The merge values of one person (loaded on demand when not prepared)."""
        if contact_id is not None and contact_id not in self._values:
            self._load([contact_id])
        if contact_id is not None and contact_id in self._values:
            return self._values[contact_id]
        first, _sep, last = name.partition(" ")
        return self._values_of(first, last)

    def message_id(self, recipient: Recipient) -> str:
        """The Message-ID for this recipient, stable for the row, so replies thread back."""
        mailing_id = self.mailing.pk
        if recipient.pk is None:
            # A preview or a test send: never the id of a real row.
            return f"<m{mailing_id}.t{secrets.token_hex(6)}@{self.domain}>"
        tag = signing.short_hmac("message-id", f"{mailing_id}.{recipient.pk}")
        return f"<m{mailing_id}.r{recipient.pk}.{tag}@{self.domain}>"

    def _date(self) -> str:
        second = int(time.time())
        if self._date_cache[0] != second:
            self._date_cache = (second, format_datetime(datetime.fromtimestamp(second, UTC)))
        return self._date_cache[1]

    def _fill(self, parts: Parts, resolve: Callable[[Slot], str]) -> str:
        return "".join(p if isinstance(p, str) else resolve(p) for p in parts)

    def _resolvers(
        self, recipient: Recipient, values: Mapping[str, str], token: str
    ) -> tuple[Callable[[Slot], str], Callable[[Slot], str], Callable[[Slot], str]]:
        unsubscribe_url = self._unsubscribe_url(token)

        def text(slot: Slot) -> str:
            if slot.name == "_unsubscribe":
                return unsubscribe_url
            return values.get(slot.name, "") or slot.default

        def rich(slot: Slot) -> str:
            if slot.name == "_link":
                return html.escape(tracking.click_url(recipient.pk, slot.default))
            if slot.name == "_pixel":
                return tracking.pixel_html(recipient.pk)
            return html.escape(text(slot))

        def subject(slot: Slot) -> str:
            value = values.get(slot.name, "") or slot.default
            return headers.check_line(value, format_lazy(MERGE_FIELD, field=slot.name))

        return text, rich, subject

    def _headers(
        self, recipient: Recipient, subject: str, message_id: str, token: str
    ) -> tuple[list[tuple[str, str]], bool]:
        to, utf8 = headers.mailbox(recipient.name, recipient.address, RECIPIENT, "To")
        subject_value = headers.unstructured(subject, "Subject", SUBJECT)
        list_unsubscribe = (
            f"<{self._unsubscribe_url(token)}>,\n"
            f" <mailto:{self.unsubscribe_mailbox}?subject=unsubscribe-{token}>"
        )
        rows = [
            ("From", self.from_header),
            ("To", to),
            ("Subject", subject_value),
            ("Date", self._date()),
            ("Message-ID", message_id),
        ]
        if self.reply_to_header:
            rows.append(("Reply-To", self.reply_to_header))
        rows += [
            ("List-Unsubscribe", list_unsubscribe),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Content-Language", self.language),
            ("MIME-Version", "1.0"),
        ]
        return rows, utf8 or self.sender_utf8

    def _build(
        self, recipient: Recipient, subject_prefix: str = ""
    ) -> tuple[list[tuple[str, str]], str, str, str, bool]:
        values = self.values_for(recipient.contact_id, recipient.name)
        token = unsubscribe.token_for(self.mailing.pk, recipient.pk)
        text_of, rich_of, subject_of = self._resolvers(recipient, values, token)
        subject = " ".join(self._fill(self.subject_parts, subject_of).split())
        if subject_prefix:
            subject = f"{subject_prefix} {subject}"
        message_id = self.message_id(recipient)
        rows, utf8 = self._headers(recipient, subject, message_id, token)
        text = self._fill(self.text_parts, text_of)
        rich = self._fill(self.html_parts, rich_of)
        return rows, subject, text, rich, utf8

    @staticmethod
    def _qp(text: str) -> str:
        return binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")

    def render(self, recipient: Recipient, *, subject_prefix: str = "") -> Rendered:
        """The message of one ledger row as SMTP bytes, without building an EmailMessage
        (`subject_prefix`: "[TEST]" for a test send)."""
        rows, _subject, text, rich, utf8 = self._build(recipient, subject_prefix)
        head = "\n".join(f"{name}: {value}" for name, value in rows)
        boundary = self.boundary
        document = (
            f'{head}\nContent-Type: multipart/alternative; boundary="{boundary}"\n\n'
            f'--{boundary}\nContent-Type: text/plain; charset="utf-8"\n'
            f"Content-Transfer-Encoding: quoted-printable\n\n{self._qp(text)}\n"
            f'--{boundary}\nContent-Type: text/html; charset="utf-8"\n'
            f"Content-Transfer-Encoding: quoted-printable\n\n{self._qp(rich)}\n"
            f"--{boundary}--\n"
        )
        return Rendered(
            sender=self.envelope_from,
            to=headers.address(recipient.address, "To")[0],
            message_id=dict(rows)["Message-ID"],
            data=document.replace("\n", "\r\n").encode("utf-8"),
            smtputf8=utf8,
        )

    def message(self, recipient: Recipient) -> EmailMessage:
        """The complete message for one ledger row, Message-ID included (see message_id)."""
        rows, _subject, text, rich, utf8 = self._build(recipient)
        # Our headers are folded already (headers.py); the email package must not fold them again,
        # or a long unsubscribe address comes out differently from what render() sends.
        policy = (SMTPUTF8 if utf8 else SMTP).clone(refold_source="none")
        msg = EmailMessage(policy=policy)
        for name, value in rows:
            msg.set_raw(name, value)
        msg.set_raw("Content-Type", f'multipart/alternative; boundary="{self.boundary}"')
        parts: list[Message | str] = []
        for subtype, content in (("plain", text), ("html", rich)):
            part = EmailMessage(policy=policy)
            part.set_raw("Content-Type", f'text/{subtype}; charset="utf-8"')
            part.set_raw("Content-Transfer-Encoding", "quoted-printable")
            part.set_payload(self._qp(content))
            parts.append(part)
        msg.set_payload(parts)
        return msg

    def preview(self, contact: Contact) -> Preview:
        """What this contact would receive, before any ledger exists."""
        recipient = self.sample_recipient(contact)
        values = self.values_for(contact.pk, recipient.name)
        token = unsubscribe.token_for(self.mailing.pk, None)
        text_of, rich_of, subject_of = self._resolvers(recipient, values, token)
        subject = " ".join(self._fill(self.subject_parts, subject_of).split())
        return Preview(
            subject=subject,
            text=self._fill(self.text_parts, text_of),
            html=self._fill(self.html_parts, rich_of),
        )

    def sample_recipient(self, contact: Contact, address: str = "") -> Recipient:
        """An unsaved ledger row for a contact (previews and test sends): no real token in it."""
        if not address:
            first = contact.emails.order_by("-is_primary", "pk").first()
            address = first.email if first is not None else f"contact-{contact.pk}@example.invalid"
        return Recipient(
            org=self.org,
            mailing=self.mailing,
            contact=contact,
            address=address,
            address_key=address.lower(),
            name=contact.full_name,
        )
