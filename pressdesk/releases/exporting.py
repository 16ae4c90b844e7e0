"""Releases as documents: PDF (WeasyPrint, A4) and DOCX (python-docx), laid out like the template.

A release holds text a member wrote, so the HTML handed to WeasyPrint is not trusted. Its
`url_fetcher` (`SafeFetcher`) answers only `data:` URLs and our own static files, read from disk
through the staticfiles finders: no `file:`, no `http(s)` to anywhere, no internal address. Images
we own (the organisation's logo, a release's pictures) are read from storage here and handed over
as `data:` URLs, so the renderer never needs to reach for them.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from babel.dates import format_date
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import now
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pressdesk.accounts import audit
from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.conventions import about_heading, conventions, notice
from pressdesk.releases.models import (
    AssetKind,
    MediaAsset,
    Newsroom,
    Release,
    ReleaseTemplate,
    ReleaseVersion,
)
from pressdesk.releases.rendering import render_release_html

PDF = "pdf"
DOCX = "docx"
FORMATS = (PDF, DOCX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Relative addresses in a document resolve against this host, which is nobody's: only the static
# paths under it are answered, from disk.
DOCUMENT_BASE = "https://pressdesk.invalid/"
# An image larger than this is left out of a document rather than held in memory.
MAX_EMBEDDED_BYTES = 10 * 1024 * 1024
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#1d3557"


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher, allowed `data:` URLs and our static files only; notes the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "https"), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Answer a data: URL or one of our static files; refuse anything else (never fetched)."""
        if url.lower().startswith("data:"):
            # DataHandler decodes in memory; it opens nothing.
            found = urllib.request.DataHandler().data_open(
                urllib.request.Request(url)  # noqa: S310 - a data: URL, checked above
            )
            return URLFetcherResponse(
                url, found.read(), {"Content-Type": found.headers["Content-Type"]}
            )
        path = static_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError("only our own static files and data: URLs are fetched")
        with open(path, "rb") as file:
            body = file.read()
        self.served.append(url)
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})


def static_path(url: str) -> str | None:
    """The file on disk behind one of our static addresses, or None for any other address."""
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != ("https", "pressdesk.invalid") or parts.query:
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    pieces = PurePosixPath(relative).parts
    if relative.startswith("/") or any(p in ("..", ".") for p in pieces):
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return found if isinstance(found, str) else None


def render_pdf(html: str, fetcher: SafeFetcher | None = None) -> bytes:
    """The HTML as an A4 PDF, fetching through `fetcher` (a new SafeFetcher by default)."""
    document = HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=fetcher or SafeFetcher())
    return bytes(document.write_pdf())


# --- What a release document says, in the template's conventions --------------------------------


@dataclass(frozen=True)
class Wording:
    """The fixed words of a document: the template's conventions (relcore's conventions.py), and
    the few a document adds. They follow the document's language, not the reader's."""

    template: str
    lang: str
    heading: str
    closing: str
    about: str  # with %(org)s
    contact: str
    rights_free: str  # with {date}
    contents: str
    kit_heading: str


EXTRA_WORDS = {
    "fr": ("Libre de droits jusqu’au {date}", "Sommaire", "Dossier de presse"),
    "en": ("Rights-free until {date}", "Contents", "Press kit"),
}


def template_of(language: str) -> str:
    """The release template for a language code (a kit's fr-FR, fr-CA, en, en-GB…)."""
    if language in ReleaseTemplate.values:
        return language
    return ReleaseTemplate.EN if language.startswith("en") else ReleaseTemplate.FR_FR


def wording(language: str) -> Wording:
    """The fixed words of a template or a language code."""
    template = template_of(language)
    rules = conventions(template)
    lang = "en" if template == ReleaseTemplate.EN else "fr"
    return Wording(
        template, lang, rules.kind, rules.closing, rules.about, rules.contact, *EXTRA_WORDS[lang]
    )


def format_day(day: Any, lang: str) -> str:
    """A date as the trade writes it: "3 décembre 2026", "3 December 2026"."""
    return format_date(day, "d MMMM y", locale=lang)


@dataclass
class Picture:
    """An image ready for a document: its bytes and what is printed under it."""

    data: bytes
    content_type: str
    filename: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    rights: str = ""

    @property
    def data_uri(self) -> str:
        """The image as a data: URL, the only way an image reaches the PDF renderer."""
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def picture(asset: MediaAsset | None, lang: str = "fr") -> Picture | None:
    """The asset's image read from storage, or None when it is not an image we can embed."""
    if asset is None or asset.kind == AssetKind.DOCUMENT:
        return None
    kind = asset.content_type or mimetypes.guess_type(asset.filename)[0] or ""
    if not kind.startswith("image/") or asset.size > MAX_EMBEDDED_BYTES:
        return None
    try:
        with asset.file.open("rb") as file:
            data = file.read(MAX_EMBEDDED_BYTES + 1)
    except (OSError, ValueError):
        return None
    if len(data) > MAX_EMBEDDED_BYTES:
        return None
    rights = ""
    if asset.rights_free_until:
        rights = wording(lang).rights_free.format(date=format_day(asset.rights_free_until, lang))
    return Picture(
        data,
        kind,
        asset.filename,
        asset.caption,
        asset.credit,
        asset.alt_text or asset.title,
        rights,
    )


@dataclass
class Brand:
    """The organisation's look on paper: its name, logo and main colour."""

    name: str
    colour: str = DEFAULT_COLOUR
    logo: Picture | None = None

    @property
    def stylesheet(self) -> str:
        """The colour as a style sheet in a data: URL (our templates hold no inline style)."""
        css = f":root {{ --brand: {self.colour}; }}".encode()
        return "data:text/css;base64," + base64.b64encode(css).decode("ascii")


def brand(org: Organisation) -> Brand:
    """The organisation's logo and colour from its newsroom settings (defaults without one)."""
    room = Newsroom.objects.for_org(org).select_related("logo").first()
    if room is None:
        return Brand(org.name)
    # The colour goes into a style sheet: only a plain #rrggbb is let through.
    colour = room.primary_colour if _COLOUR.match(room.primary_colour or "") else DEFAULT_COLOUR
    return Brand(room.title or org.name, colour, picture(room.logo))


@dataclass
class ReleaseDocument:
    """A release's parts in the template's order, shared by the PDF and the DOCX."""

    release: Release
    version: ReleaseVersion
    words: Wording
    brand: Brand
    notice: str
    about_title: str
    embargo_until: datetime | None
    pictures: list[Picture] = field(default_factory=list)

    @property
    def lang(self) -> str:
        """The document's language, for `lang` and for hyphenation."""
        return self.words.lang


def release_document(
    release: Release, version: ReleaseVersion | None = None, at: datetime | None = None
) -> ReleaseDocument:
    """What a release's document shows: its current version (or `version`) as of `at`."""
    version = version or release.current_version
    if version is None:
        version = release.versions.order_by("-number").first()
    if version is None:
        raise ValueError("the release has no saved version")
    words = wording(release.template)
    at = at or now()
    # An embargo already lifted is not printed: the copy says "for immediate release".
    until = release.embargo_until if release.embargo_until and release.embargo_until > at else None
    line = notice(until, release.org.timezone, release.template)
    look = brand(release.org)
    pictures = [
        p
        for a in release.attachments.select_related("asset").order_by("position", "pk")
        if (p := picture(a.asset, words.lang)) is not None
    ]
    about = about_heading(release.template, release.org.name)
    return ReleaseDocument(release, version, words, look, line, about, until, pictures)


def release_parts_html(doc: ReleaseDocument) -> SafeString:
    """The release as the template lays it out (relcore's render_release_html, with the embargo
    line of a press copy), then its pictures with captions and credits: for PDF pages."""
    article = render_release_html(doc.version, embargo_notice=True, embargo_until=doc.embargo_until)
    pictures = render_to_string("releases/pdf/_pictures.html", {"pictures": doc.pictures})
    return mark_safe(article + pictures)  # both escape what they did not sanitise


def release_pdf(doc: ReleaseDocument, fetcher: SafeFetcher | None = None) -> bytes:
    """The release as an A4 PDF in the organisation's colours."""
    html = render_to_string(
        "releases/pdf/release.html",
        {"doc": doc, "brand": doc.brand, "lang": doc.lang, "parts": release_parts_html(doc)},
    )
    return render_pdf(html, fetcher)


def release_docx(doc: ReleaseDocument) -> bytes:
    """The release as a Word document with the template's structure."""
    from pressdesk.releases import docx_writing

    return docx_writing.release_docx(doc)


def file_name(release: Release, file_format: str) -> str:
    """A download name made of the release's address: "lancement-usine-tours.pdf"."""
    return f"{release.slug or 'communique'}.{file_format}"


def export_release(
    release: Release,
    file_format: str,
    *,
    actor: User | None = None,
    actor_label: str = "",
    request: Any = None,
) -> bytes:
    """The release as PDF or DOCX, recorded in the audit log as an export."""
    doc = release_document(release)
    data = release_pdf(doc) if file_format == PDF else release_docx(doc)
    audit.record(
        "release.export",
        org=release.org,
        actor=actor,
        obj=release,
        request=request,
        actor_label=actor_label,
        format=file_format,
        version=doc.version.number,
    )
    return data


def plain(html: str) -> str:
    """Stored HTML as plain text, for file indexes and summaries."""
    return re.sub(r"\s+", " ", strip_tags(html)).strip()
