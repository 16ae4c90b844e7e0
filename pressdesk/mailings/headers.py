"""Mail headers written by hand, fast and strict: RFC 2047 for non-ASCII words, IDNA for
domains, and no line break ever let through from a subject, a name or an address.

The standard library's header objects are correct but cost more than a whole message's body;
these helpers produce the same wire form (checked against `email.policy.default` in the tests)
in a few microseconds.
"""

from __future__ import annotations

import base64
import re

import idna
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from pressdesk.mailings.errors import HeaderInjection

# What a value is, for the error message: formatted only when there is an error.
Label = str | Promise

# Every character Python or a mail server may take as the end of a line, and other controls.
_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]')
_ATEXT_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
# 42 bytes → 56 base64 characters → a 68-character encoded word: "Subject: " and one word fit in
# the 78 characters of a line.
_WORD_BYTES = 42


def check_line(value: str, what: Label) -> str:
    """The value, if it holds no line break or control character; HeaderInjection otherwise."""
    if _BREAKS.search(value):
        raise HeaderInjection(
            _("%(what)s contains a line break or a control character; it cannot go in a mail.")
            % {"what": what}
        )
    return value


def _encoded_words(text: str) -> list[str]:
    whole = text.encode("utf-8")
    if len(whole) <= _WORD_BYTES:
        return [f"=?utf-8?b?{base64.b64encode(whole).decode()}?="]
    chunks: list[bytes] = []
    chunk = b""
    for char in text:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > _WORD_BYTES:
            chunks.append(chunk)
            chunk = b""
        chunk += data
    if chunk:
        chunks.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(c).decode()}?=" for c in chunks]


def _fold(words: list[str], first: int) -> str:
    """Join words with spaces, breaking the line before one that would pass 78 characters."""
    lines: list[str] = []
    line, width = "", first
    for word in words:
        if line and width + 1 + len(word) > 78:
            lines.append(line)
            line, width = word, 1 + len(word)
        elif line:
            line, width = f"{line} {word}", width + 1 + len(word)
        else:
            line, width = word, width + len(word)
    lines.append(line)
    return "\n ".join(lines)


def unstructured(value: str, name: str, what: Label) -> str:
    """A free-text header value (Subject): ASCII folded at spaces, or RFC 2047 encoded words."""
    check_line(value, what)
    value = " ".join(value.split())
    first = len(name) + 2
    if value.isascii() and "=?" not in value:
        return _fold(value.split(" "), first)
    return _fold(_encoded_words(value), first)


def phrase(name: str, what: Label) -> str:
    """A display name: as is, quoted when it holds specials, or encoded words when not ASCII."""
    check_line(name, what)
    name = " ".join(name.split())
    if not name:
        return ""
    if name.isascii() and "=?" not in name:
        if _SPECIALS.search(name):
            return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return name
    return " ".join(_encoded_words(name))


def address(value: str, what: Label) -> tuple[str, bool]:
    """An address for the wire, its domain in IDNA (A-labels); and whether its local part needs
    SMTPUTF8 (RFC 6531), which no encoding can spare."""
    check_line(value, what)
    value = value.strip()
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain or " " in value or "<" in value or ">" in value:
        raise HeaderInjection(_("%(what)s is not an email address.") % {"what": what})
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError as error:
            raise HeaderInjection(
                _("%(what)s has a domain that cannot be written: %(error)s")
                % {"what": what, "error": error}
            ) from error
    else:
        domain = domain.lower()
    if local.isascii():
        if not _ATEXT_LOCAL.match(local):
            local = '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"{local}@{domain}", False
    return f"{local}@{domain}", True


def mailbox(name: str, addr: str, what: Label, header: str = "From") -> tuple[str, bool]:
    """`Name <addr>` for an address header, folded; and whether it needs SMTPUTF8."""
    wire, utf8 = address(addr, what)
    shown = phrase(name, what)
    if not shown:
        return wire, utf8
    words = [*shown.split(" "), f"<{wire}>"]
    return _fold(words, len(header) + 2), utf8
