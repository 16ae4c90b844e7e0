"""Local files as documents to match: .txt as is, .html through extraction, feeds item by item.

The article extractor and the feed parser belong to the fetching side of monitoring
(`pressdesk.monitoring.extraction.extract`, `pressdesk.monitoring.feeds.parse_feed`). They are
used when present; until then the small fallbacks below read what a match needs (title and
text), so this command works on its own.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from django.utils.translation import gettext as _

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom", ".rdf", ".feed", ".json"}


@dataclass(frozen=True)
class InputItem:
    """A document read from a file: for a feed, one of its items (item: its link or number)."""

    path: str
    text: str
    title: str = ""
    lang: str | None = None
    item: str | None = None


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    """A function of another part of monitoring, if that part is installed."""
    try:
        return getattr(importlib.import_module(module), name, None)  # type: ignore[no-any-return]
    except ImportError:
        return None


def _field(value: Any, name: str, default: Any = "") -> Any:
    """An attribute or key, whichever the object has."""
    if isinstance(value, dict):
        return value.get(name, default)
    return getattr(value, name, default)


def files_under(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and those in the folders named, sorted within each folder."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in (
                    TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
                ):
                    yield child
        else:
            yield path


def read_inputs(paths: Iterable[Path], errors: Any) -> Iterator[InputItem]:
    """Every document in these files and folders; unreadable files are reported and skipped."""
    for path in files_under(paths):
        try:
            yield from read_file(path)
        except (OSError, ValueError, ElementTree.ParseError) as error:
            errors.write(
                _("%(path)s is skipped: %(error)s") % {"path": path, "error": error or type(error)}
            )


def read_file(path: Path) -> Iterator[InputItem]:
    """The documents of one file, by its type."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in HTML_SUFFIXES:
        yield _html_item(str(path), data)
    elif suffix in FEED_SUFFIXES or data.lstrip()[:5] in {b"<?xml", b"<rss ", b"<feed"}:
        yield from _feed_items(str(path), data)
    else:
        yield InputItem(str(path), data.decode("utf-8", errors="replace"))


def _html_item(path: str, data: bytes) -> InputItem:
    extract = _optional("pressdesk.monitoring.extraction", "extract")
    if extract is not None:
        result = extract(data)
        return InputItem(
            path,
            str(_field(result, "text") or ""),
            str(_field(result, "title") or ""),
            _field(result, "language", None),
        )
    title, text = html_text(data.decode("utf-8", errors="replace"))
    return InputItem(path, text, title)


def _feed_items(path: str, data: bytes) -> Iterator[InputItem]:
    parse_feed = _optional("pressdesk.monitoring.feeds", "parse_feed")
    items = _field(parse_feed(data), "items", []) if parse_feed else fallback_feed_items(data)
    for number, item in enumerate(items, start=1):
        body = _field(item, "content") or _field(item, "summary") or ""
        if isinstance(body, list):  # feedparser-like: a list of {value: …}
            body = " ".join(str(_field(part, "value")) for part in body)
        title = html_text(str(_field(item, "title") or ""))[1]
        yield InputItem(
            path, html_text(str(body))[1], title, item=str(_field(item, "link") or number)
        )


# --- Fallbacks, until the extractor and the feed parser are there ----------------------------

_DROPPED = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|section|article|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def html_text(markup: str) -> tuple[str, str]:
    """Fallback: the title and the visible text of HTML, tags stripped (no main-text detection)."""
    found = _TITLE.search(markup)
    title = html.unescape(_TAG.sub("", found.group(1))).strip() if found else ""
    body = _COMMENT.sub(" ", _DROPPED.sub(" ", markup))
    body = _TITLE.sub(" ", body)
    body = _TAG.sub("", _BLOCK.sub("\n", body))
    text = html.unescape(body)
    return title, "\n".join(line.strip() for line in text.splitlines() if line.strip())


def fallback_feed_items(data: bytes) -> list[dict[str, str]]:
    """Fallback: title, link and body of each RSS or Atom item (defusedxml, no DTDs)."""
    root = ElementTree.fromstring(data)
    items = []
    for element in root.iter():
        if _local(element.tag) not in {"item", "entry"}:
            continue
        item: dict[str, str] = {}
        for child in element:
            name = _local(child.tag)
            value = "".join(child.itertext()).strip()
            if name == "link" and not value:
                value = child.get("href", "")
            if name in {"description", "encoded", "content", "summary"}:
                name = "content" if name in {"encoded", "content"} else "summary"
            item.setdefault(name, value)
        items.append(item)
    return items


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()
