"""A press kit as files: a ZIP of all its assets with an index in the kit's language (streamed),
and a paginated PDF with a table of contents (WeasyPrint, through the same SafeFetcher)."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.timezone import now

from pressdesk.accounts import audit
from pressdesk.accounts.models import User
from pressdesk.releases import exporting
from pressdesk.releases.kits import KitPart, kit_assets
from pressdesk.releases.models import AssetKind, MediaAsset, PressKit

CHUNK = 64 * 1024
FOLDERS = {AssetKind.IMAGE: "images", AssetKind.LOGO: "logos", AssetKind.DOCUMENT: "documents"}
INDEX_WORDS = {
    "fr": {
        "index": "LISEZMOI.txt",
        "kit": "Dossier de presse",
        "files": "Fichiers",
        "caption": "Légende",
        "credit": "Crédit",
        "made": "Préparé le",
        "sep": "\u00a0: ",
        "folder": {"images": "Images", "logos": "Logos", "documents": "Documents"},
    },
    "en": {
        "index": "README.txt",
        "kit": "Press kit",
        "files": "Files",
        "caption": "Caption",
        "credit": "Credit",
        "made": "Prepared on",
        "sep": ": ",
        "folder": {"images": "Images", "logos": "Logos", "documents": "Documents"},
    },
}


def safe_name(filename: str, fallback: str = "fichier") -> str:
    """A file name any system accepts: no folders, no control or reserved characters, ASCII."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())[:10]
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = slugify(folded)[:80] or fallback
    return f"{stem}.{suffix}" if suffix else stem


def zip_entries(parts: list[KitPart]) -> list[tuple[str, MediaAsset]]:
    """Each asset once, under a unique, safe name in its kind's folder: "images/01-usine.jpg"."""
    entries: list[tuple[str, MediaAsset]] = []
    used: set[str] = set()
    for n, asset in enumerate(kit_assets(parts), start=1):
        folder = FOLDERS.get(AssetKind(asset.kind), "documents")
        name = f"{folder}/{n:02d}-{safe_name(asset.filename)}"
        while name in used:  # only when two names fold to the same one
            name = name.replace(f"/{n:02d}-", f"/{n:02d}-x-", 1)
        used.add(name)
        entries.append((name, asset))
    return entries


def zip_index(kit: PressKit, entries: list[tuple[str, MediaAsset]], at: datetime) -> str:
    """The ZIP's index in the kit's language: each file with its title, caption, credit, rights."""
    lang = exporting.wording(kit.language).lang
    w: dict[str, Any] = INDEX_WORDS[lang]
    sep = w["sep"]
    lines = [f"{w['kit']}{sep}{kit.title}", f"{w['made']} {exporting.format_day(at, lang)}", ""]
    lines += [w["files"], "=" * len(w["files"]), ""]
    for name, asset in entries:
        lines.append(name)
        if asset.title:
            lines.append(f"  {asset.title}")
        if asset.caption:
            lines.append(f"  {w['caption']}{sep}{asset.caption}")
        if asset.credit:
            lines.append(f"  {w['credit']}{sep}{asset.credit}")
        if asset.rights_free_until:
            rights = exporting.wording(kit.language).rights_free
            lines.append(
                "  " + rights.format(date=exporting.format_day(asset.rights_free_until, lang))
            )
        lines.append("")
    return "\r\n".join(lines)


class _Pipe:
    """A write-only stream whose bytes are taken as they come (ZipFile writes, we yield)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        self.buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def zip_chunks(kit: PressKit, parts: list[KitPart], at: datetime | None = None) -> Iterator[bytes]:
    """The kit's ZIP, a chunk at a time: no file is held whole in memory."""
    at = at or now()
    entries = zip_entries(parts)
    pipe = _Pipe()
    lang = exporting.wording(kit.language).lang
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[call-overload]
        archive.writestr(INDEX_WORDS[lang]["index"], zip_index(kit, entries, at).encode("utf-8"))
        yield pipe.take()
        for name, asset in entries:
            try:
                source = asset.file.open("rb")
            except (OSError, ValueError):
                continue  # a file missing from storage is left out, not a broken download
            with source, archive.open(name, "w", force_zip64=True) as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.take()
            yield pipe.take()
    yield pipe.take()


def zip_name(kit: PressKit) -> str:
    """The download's name: "dossier-usine-tours.zip"."""
    return f"{safe_name(kit.slug or 'dossier')}.zip"


def kit_pdf(
    kit: PressKit, parts: list[KitPart], fetcher: exporting.SafeFetcher | None = None
) -> bytes:
    """The kit as a paginated A4 PDF: cover, table of contents, then each part on its own pages."""
    words = exporting.wording(kit.language)
    look = exporting.brand(kit.org)
    shown = []
    for part in parts:
        item = part.item
        entry: dict[str, Any] = {"part": part, "item": item}
        if item.release is not None and (
            item.release.current_version_id or item.release.versions.exists()
        ):
            entry["release_html"] = exporting.release_parts_html(
                exporting.release_document(item.release)
            )
        if item.asset is not None:
            entry["picture"] = exporting.picture(item.asset, words.lang)
        shown.append(entry)
    html = render_to_string(
        "releases/pdf/kit.html",
        {
            "kit": kit,
            "brand": look,
            "lang": words.lang,
            "words": words,
            "entries": shown,
            "cover": exporting.picture(kit.cover, words.lang),
        },
    )
    return exporting.render_pdf(html, fetcher)


def pdf_name(kit: PressKit) -> str:
    """The download's name: "dossier-usine-tours.pdf"."""
    return f"{safe_name(kit.slug or 'dossier')}.pdf"


def record_export(
    kit: PressKit,
    file_format: str,
    *,
    actor: User | None = None,
    actor_label: str = "",
    request: Any = None,
    files: int = 0,
) -> None:
    """Write the kit's export to the audit log."""
    audit.record(
        "kit.export",
        org=kit.org,
        actor=actor,
        obj=kit,
        request=request,
        actor_label=actor_label,
        format=file_format,
        files=files,
    )
