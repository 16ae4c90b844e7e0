"""A release's words as stored: Markdown → HTML (markdown-it-py), sanitised (nh3), set in French
typography for French templates, and counted.

The stored HTML is what every reader gets (editor preview, newsroom, PDF), so it is made once,
at save, and never from the reader's request.
"""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

from pressdesk.lib.typography import french_html, french_text
from pressdesk.releases.models import ReleaseTemplate

# What a release body may hold: text structure, links and quotes; no images (those are
# attachments with credits), no scripts, styles or frames.
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "b", "i", "a",
    "blockquote", "code", "pre", "sup", "sub", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Markdown as CommonMark plus tables; raw HTML in the source is shown as text, not obeyed.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")
# For the "À propos" and contact blocks: each line of the source is a line of the block.
_markdown_lines = MarkdownIt("commonmark", {"html": False, "breaks": True})

# The length of one page of release, in characters with spaces (the trade's "signes").
CHAR_MIN = 1000
CHAR_MAX = 2000


def is_french(template: str) -> bool:
    """Whether the template writes French (France or Québec)."""
    return template in (ReleaseTemplate.FR_FR, ReleaseTemplate.FR_CA)


def sanitise(markup: str) -> str:
    """HTML reduced to what a release may hold (nh3 allow-list)."""
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def to_html(source: str, template: str, *, lines: bool = False) -> str:
    """Markdown to sanitised HTML, in the template's typography; with `lines`, every line break
    of the source is kept (addresses, contact blocks)."""
    markup = sanitise((_markdown_lines if lines else _markdown).render(source or ""))
    if is_french(template):
        markup = french_html(markup, quebec=template == ReleaseTemplate.FR_CA)
    return markup


def set_text(text: str, template: str) -> str:
    """A one-line field (title, lead, dateline) in the template's typography."""
    text = (text or "").strip()
    if is_french(template):
        return french_text(text, quebec=template == ReleaseTemplate.FR_CA)
    return text


_TAGS = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\s+")


_BLOCKS = re.compile(r"</(p|h[1-6]|li|blockquote|section|div)>|<br\s*/?>", re.I)


def plain(markup: str) -> str:
    """The text of some HTML, blocks separated by one space."""
    return _BLANKS.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()


def text_lines(markup: str) -> str:
    """The text of some HTML, one block a line (for a terminal)."""
    text = html.unescape(_TAGS.sub("", _BLOCKS.sub("\n", markup)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def char_count(*parts: str) -> int:
    """Characters with spaces of the release's own words (title, subtitle, lead, body text)."""
    return len(" ".join(p for p in (plain(part) for part in parts) if p))


def count_warning(count: int) -> bool:
    """Whether a release of this length is outside the one-page range the trade expects."""
    return count < CHAR_MIN or count > CHAR_MAX


_BLOCK_END = re.compile(r"</(p|li|h[2-4]|blockquote)>", re.I)
_BREAK = re.compile(r"<br\s*/?>\n?", re.I)
_LINK = re.compile(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_STRONG = re.compile(r"</?(strong|b)>", re.I)
_EM = re.compile(r"</?(em|i)>", re.I)


def to_source(markup: str, *, lines: bool = False) -> str:
    """Markdown again from the simple HTML `to_html` makes of a boilerplate (paragraphs, breaks,
    links, bold, italics), so that a stored "À propos" can be edited as it was written."""
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({html.unescape(m.group(1))})", markup)
    text = _STRONG.sub("**", text)
    text = _EM.sub("*", text)
    text = _BREAK.sub("\n" if lines else "\\\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAGS.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
