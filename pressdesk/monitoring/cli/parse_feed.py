"""`pressdesk monitor parse-feed FILE [--json]`: a feed file's title, link and items, sanitised.

Stateless: reads the file, touches no database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring.feeds import FeedItem, ParsedFeed, parse_feed

NAME = "parse-feed"
HELP = gettext_lazy("Read a feed file (RSS, Atom, JSON Feed) and print its items, sanitised.")
MAX_BYTES = 50_000_000


def add_arguments(parser: CommandParser) -> None:
    """FILE, --url and --json."""
    parser.add_argument("file", metavar="FILE", help=gettext_lazy("The feed file to read."))
    parser.add_argument(
        "--url", help=gettext_lazy("The address the feed came from, for its relative links.")
    )
    parser.add_argument("--json", action="store_true", help=gettext_lazy("Print JSON."))


def read_input(path: str, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, or a CommandError saying why they cannot be read."""
    file = Path(path)
    try:
        if file.is_dir():
            raise CommandError(_("%(path)s is a folder, not a file.") % {"path": path})
        if file.stat().st_size > limit:
            raise CommandError(_("%(path)s is too large to read.") % {"path": path})
        return file.read_bytes()
    except OSError as exc:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
        ) from None


def item_dict(item: FeedItem) -> dict[str, Any]:
    """An item as JSON-ready fields."""
    return {
        "title": item.title,
        "link": item.link,
        "id": item.id,
        "published": item.published.isoformat() if item.published else None,
        "author": item.author,
        "summary": item.summary,
        "content": item.content,
        "content_is_full": item.content_is_full,
        "images": item.images,
    }


def feed_dict(feed: ParsedFeed) -> dict[str, Any]:
    """A parsed feed as JSON-ready fields."""
    return {
        "title": feed.title,
        "link": feed.link,
        "kind": feed.kind,
        "malformed": feed.malformed,
        "items": [item_dict(item) for item in feed.items],
    }


def _write_text(command: BaseCommand, feed: ParsedFeed) -> None:
    out = command.stdout
    out.write(f"title: {feed.title}")
    out.write(f"link: {feed.link or ''}")
    if feed.malformed:
        out.write(f"malformed: {feed.malformed}")
    out.write(f"items: {len(feed.items)}")
    for item in feed.items:
        out.write("")
        for key, value in item_dict(item).items():
            if key == "images":
                value = " ".join(value)
            out.write(f"  {key}: {'' if value is None else value}")


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Parse the file and print it; exit 1 when it is not a feed at all."""
    feed = parse_feed(read_input(options["file"]), options.get("url"))
    if options["json"]:
        command.stdout.write(json.dumps(feed_dict(feed), ensure_ascii=False, indent=2))
    else:
        _write_text(command, feed)
    if feed.malformed and not feed.items:
        raise CommandError(
            _("%(path)s is not a readable feed: %(reason)s")
            % {"path": options["file"], "reason": feed.malformed}
        )
