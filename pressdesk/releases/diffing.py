"""What changed between two versions, word by word, as <ins>/<del> for the review page."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pressdesk.releases.models import ReleaseVersion

# Words with the spaces after them, so that joining the pieces gives the text back.
_WORDS = re.compile(r"\S+\s*|\s+")

FIELDS = (
    ("title", pgettext_lazy("heading of a text", "Title")),
    ("subtitle", _("Subtitle")),
    ("dateline", _("Dateline")),
    ("lead", _("Lead")),
    ("body_source", _("Body")),
)


def words_diff(old: str, new: str) -> SafeString:
    """`new` as HTML, with the words added in <ins> and those removed in <del>."""
    before, after = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(after[b1:b2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    # Every piece is escaped above.
    return mark_safe("".join(out))


@dataclass
class FieldDiff:
    name: str
    label: str
    html: SafeString
    changed: bool


def versions_diff(old: ReleaseVersion | None, new: ReleaseVersion) -> list[FieldDiff]:
    """Each field of `new` with what changed since `old` (everything is new without `old`)."""
    diffs = []
    for name, label in FIELDS:
        before = getattr(old, name) if old is not None else ""
        after = getattr(new, name)
        if not before and not after:
            continue
        diffs.append(FieldDiff(name, str(label), words_diff(before, after), before != after))
    return diffs
