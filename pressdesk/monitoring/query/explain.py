"""Why a query matched: which terms were found where, and why its NOT parts did not exclude it.

Explanations are written in the language that was active when the match was made (gettext),
when first read (Match.explanation); the pipeline turns them into reasons that clippings keep
(monitoring.explanations), the query editor shows them as they are, the CLI prints them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import get_language, gettext, ngettext

from pressdesk.monitoring.query.nodes import And, Filter, Near, Node, Not, Or, Term, terms

if TYPE_CHECKING:
    from pressdesk.monitoring.query.matcher import Span, _Evaluation

# Positions listed per term before "and N more".
SHOWN = 3

# gettext looks the language up through asgiref on every call, which costs more than the rest
# of an explanation: the language is read once per explanation and the few sentences used here
# are cached per language.
_CACHE: dict[tuple[str | None, str], str] = {}
_LANGUAGE = threading.local()  # the language of the explanation being written in this thread


def _(message: str) -> str:
    key = (_LANGUAGE.code, message)
    found = _CACHE.get(key)
    if found is None:
        with translation.override(_LANGUAGE.code):
            found = _CACHE[key] = gettext(message)
    return found


def _more(count: int) -> str:
    key = (_LANGUAGE.code, f"more {count}")
    found = _CACHE.get(key)
    if found is None:
        with translation.override(_LANGUAGE.code):
            found = ngettext("and %(count)s more", "and %(count)s more", count)
        _CACHE[key] = found
    return found % {"count": count}


def explain(
    root: Node,
    evaluation: _Evaluation,
    to_span: Callable[..., Span],
    *,
    language: str | None = None,
) -> str:
    """One sentence per reason, separated by "; ", in `language` (default: the active one).

    The matcher passes the language that was active when it matched, as it writes the
    explanation only when it is read.
    """
    reasons: list[str] = []
    _LANGUAGE.code = language if language is not None else get_language()
    _reasons(root, evaluation, to_span, reasons)
    return "; ".join(dict.fromkeys(reasons))


def _where(field: str) -> str:
    return _("the title") if field == "title" else _("the text")


def _places(hits: list[Any], evaluation: _Evaluation, to_span: Callable[..., Span]) -> str:
    by_field: dict[str, list[str]] = {}
    original = evaluation.original  # mapped once per hit, for spans and explanation alike
    for hit in hits:
        start, end = original(hit)
        by_field.setdefault(hit[0], []).append(f"{start}–{end}")
    parts = []
    for field, places in by_field.items():
        shown = ", ".join(places[:SHOWN])
        more = len(places) - SHOWN
        if more > 0:
            shown += " " + _more(more)
        parts.append(_("in %(where)s at %(places)s") % {"where": _where(field), "places": shown})
    return ", ".join(parts)


def _reasons(
    node: Node, evaluation: _Evaluation, to_span: Callable[..., Span], reasons: list[str]
) -> None:
    if isinstance(node, Term):
        hits = evaluation.term_hits(node)
        if hits:
            label = f"{node.source}*" if node.prefix else node.source
            found = (
                _("“%(term)s” (with these capitals) found %(places)s")
                if node.case
                else _("“%(term)s” found %(places)s")
            )
            reasons.append(found % {"term": label, "places": _places(hits, evaluation, to_span)})
    elif isinstance(node, And | Or):
        for child in node.children:
            if evaluation.holds(child):
                _reasons(child, evaluation, to_span, reasons)
    elif isinstance(node, Near):
        hits = evaluation.near_hits(node)
        reasons.append(
            _("“%(left)s” and “%(right)s” within %(distance)s words, %(places)s")
            % {
                "left": _source(node.left),
                "right": _source(node.right),
                "distance": node.distance,
                "places": _places(hits, evaluation, to_span),
            }
        )
    elif isinstance(node, Not):
        reasons.append(_not_reason(node, evaluation))
    elif isinstance(node, Filter):
        reasons.append(_filter_reason(node, evaluation))


def _source(node: Node) -> str:
    if isinstance(node, Term):
        return f"{node.source}*" if node.prefix else node.source
    if isinstance(node, Or) and node.source:
        return node.source
    return " OR ".join(_source(term) for term in terms(node))


def _not_reason(node: Not, evaluation: _Evaluation) -> str:
    child = node.child
    if isinstance(child, Term):
        hits = evaluation.hits.get(evaluation.matcher.pattern_of[id(child)], [])
        if hits and child.case:
            return _("not excluded by NOT “%(term)s”: it appears only with other capitals") % {
                "term": child.source
            }
        if hits and child.field:
            return _("not excluded by NOT “%(term)s”: it is not in the title") % {
                "term": child.source
            }
        if hits:
            return _("not excluded by NOT “%(term)s”: only the outlet’s own name has it") % {
                "term": child.source
            }
        return _("not excluded by NOT “%(term)s”: it does not appear") % {
            "term": f"{child.source}*" if child.prefix else child.source
        }
    return _("not excluded by %(part)s: that part does not match") % {"part": node.source}


def _filter_reason(node: Filter, evaluation: _Evaluation) -> str:
    document = evaluation.prepared.document
    if node.field == "lang":
        return _("the article is in %(lang)s") % {"lang": document.lang}
    if node.field == "outlet":
        return _("the outlet is %(outlet)s") % {"outlet": document.outlet}
    return _("the outlet’s type is %(type)s") % {"type": document.media_type}
