"""XML from the web, read safely: defusedxml, gzip with a cap, namespaces ignored."""

from __future__ import annotations

import zlib
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pressdesk.monitoring.errors import Refusal

# A sitemap may be 50 MB uncompressed (sitemaps.org); nothing we read needs more.
MAX_XML_BYTES = 50_000_000


class XmlRefused(Refusal):
    """The document is not XML we can read, or tries entity tricks; `reason` says which."""


def gunzip_capped(data: bytes, limit: int = MAX_XML_BYTES) -> bytes:
    """Decompress gzip data, refusing more than `limit` bytes out (a gzip bomb)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise XmlRefused(f"broken gzip data ({exc})") from None
    if len(out) > limit:
        raise XmlRefused(f"more than {limit} bytes once decompressed")
    return out


def parse_xml(data: bytes) -> Element:
    """The root element; XmlRefused for entities, external references or broken XML."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_capped(data)
    if len(data) > MAX_XML_BYTES:
        raise XmlRefused(f"larger than {MAX_XML_BYTES} bytes")
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmlRefused(f"entity declarations are refused ({type(exc).__name__})") from None
    except (ParseError, ValueError, UnicodeError, LookupError) as exc:
        raise XmlRefused(f"not well-formed XML ({exc})") from None


def local(tag: str) -> str:
    """A tag without its namespace: "{http://…}loc" → "loc"."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def child_text(element: Element, name: str) -> str:
    """The stripped text of the first descendant named `name` (any namespace), or ""."""
    for node in element.iter():
        if node is not element and local(node.tag) == name:
            return (node.text or "").strip()
    return ""
