"""`pressdesk monitor extract FILE.html [--url URL] [--json]`: the article in a saved page.

Stateless: reads the file, touches no database.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from pressdesk.management import gettext_lazy
from pressdesk.monitoring.cli.parse_feed import read_input
from pressdesk.monitoring.extraction import Unreadable, extract
from pressdesk.monitoring.language import detect

NAME = "extract"
HELP = gettext_lazy("Extract the article (title, author, date, language, text) from an HTML file.")


def add_arguments(parser: CommandParser) -> None:
    """FILE, --url, --languages and --json."""
    parser.add_argument("file", metavar="FILE.html", help=gettext_lazy("The page to read."))
    parser.add_argument("--url", help=gettext_lazy("The address the page came from."))
    parser.add_argument(
        "--languages",
        default="fr,en",
        help=gettext_lazy("Languages to tell the text's language among (default: fr,en)."),
    )
    parser.add_argument("--json", action="store_true", help=gettext_lazy("Print JSON."))


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    """Extract and print; exit 1 with the reason when the page holds no article."""
    path = options["file"]
    try:
        article = extract(read_input(path), options.get("url"))
    except Unreadable as exc:
        raise CommandError(
            _("No article in %(path)s: %(reason)s") % {"path": path, "reason": exc.reason}
        ) from None
    languages = [code for code in options["languages"].split(",") if code.strip()]
    fields = {
        "title": article.title,
        "author": article.author,
        "date": article.date.date().isoformat() if article.date else None,
        "language": detect(article.text, languages) or article.language,
        "url": article.url,
        "text": article.text,
    }
    if options["json"]:
        command.stdout.write(json.dumps({**fields, "images": article.images}, ensure_ascii=False))
        return
    for key, value in fields.items():
        if key != "text":
            command.stdout.write(f"{key}: {'' if value is None else value}")
    command.stdout.write("")
    command.stdout.write(article.text)
