"""Highlighting matched passages: spans found on the normalised text, shown on the original."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def highlight(text: str, spans: list[dict[str, Any]], field: str, offset: int = 0) -> SafeString:
    """The text, escaped, with the spans of this field (shifted by offset) in <mark>."""
    marks = sorted(
        (max(0, s["start"] - offset), min(len(text), s["end"] - offset), s.get("term", ""))
        for s in spans
        if s.get("field") == field and s["end"] - offset > 0 and s["start"] - offset < len(text)
    )
    out: list[str] = []
    at = 0
    for start, end, term in marks:
        if start < at:  # overlapping spans: the first one shown wins
            continue
        out.append(escape(text[at:start]))
        out.append(f'<mark title="{escape(term)}">{escape(text[start:end])}</mark>')
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


@register.simple_tag
def highlighted(text: str, spans: list[dict[str, Any]], field: str, offset: int = 0) -> SafeString:
    """{% highlighted clipping.passage clipping.spans "text" clipping.passage_offset %}"""
    return highlight(text or "", spans or [], field, offset)


@register.filter
def why(clipping: Any) -> str:
    """{{ clipping|why }}: the clipping's explanation in the active language."""
    from pressdesk.monitoring import explanations

    return explanations.of(clipping)


@register.filter
def tone_suggestion(clipping: Any) -> Any:
    """{{ clipping|tone_suggestion }}: the tone its words suggest (monitoring.tone), or None."""
    from pressdesk.monitoring import tone

    return tone.for_clipping(clipping)
