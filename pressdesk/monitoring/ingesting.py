"""Ingesting local feed and HTML files as if they had been fetched (archives, offline work).

`--url-map` maps article URLs to local files: a feed item whose page is in the map is read from
it; one whose page is not keeps its feed summary (nothing is fetched from the network).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import readers, runner
from pressdesk.monitoring.models import Stage
from pressdesk.monitoring.polling import Found, store_found

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".json", ".feed"}


class MapError(Exception):
    """The URL map cannot be read."""


def load_url_map(path: Path) -> dict[str, Path]:
    """URL → local file, from a JSON object or lines of "URL PATH" (paths relative to the map)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MapError(str(exc)) from exc
    pairs: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            pairs = {str(k): str(v) for k, v in json.loads(text).items()}
        except (ValueError, AttributeError) as exc:
            raise MapError(f"{path}: {exc}") from exc
    else:
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise MapError(f"{path}:{number}: expected URL and PATH")
            pairs[parts[0]] = parts[1].strip()
    return {url: (path.parent / local).resolve() for url, local in pairs.items()}


def files(paths: list[Path]) -> Iterator[Path]:
    """The feed and HTML files among these paths, folders walked in name order."""
    for path in paths:
        if path.is_dir():
            yield from (
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in HTML_SUFFIXES | FEED_SUFFIXES
            )
        else:
            yield path


@dataclass
class IngestReport:
    files: int = 0
    items: int = 0
    clippings: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def _is_html(path: Path, head: bytes) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    sniff = head[:1000].lstrip().lower()
    return sniff.startswith((b"<!doctype html", b"<html"))


def ingest(
    org: Organisation, paths: list[Path], url_map: dict[str, Path] | None = None
) -> IngestReport:
    """Store and process every article of these files; unreadable files are reported."""
    url_map = url_map or {}
    by_path = {local: url for url, local in url_map.items()}
    report = IngestReport()
    ids: list[int] = []
    for path in files(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.unreadable.append((str(path), str(exc)))
            continue
        report.files += 1
        if _is_html(path, data):
            url = by_path.get(path.resolve(), path.resolve().as_uri())
            found = [Found(url=url, payload={"html": data.decode("utf-8", errors="replace")})]
        else:
            try:
                outcome = readers.read_feed(data, by_path.get(path.resolve()))
            except Exception as exc:  # a hostile file is reported, the others still ingested
                report.unreadable.append((str(path), f"{type(exc).__name__}: {exc}"))
                continue
            if outcome.error:
                report.unreadable.append((str(path), outcome.error))
                continue
            found = outcome.found
        ids += [item.pk for item in store_found(org.pk, found)]

    def from_map(url: str) -> tuple[bytes, str] | None:
        local = url_map.get(url)
        return (local.read_bytes(), url) if local and local.is_file() else None

    for result in runner.run_items(ids, pages=from_map):
        report.items += 1
        report.clippings += result.clippings
        if result.stage == Stage.QUARANTINED:
            report.quarantined.append((str(result.item_id), result.reason))
    return report
