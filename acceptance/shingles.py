"""The article-extraction benchmark's scoring, as its README describes it.

Tokens are `\\w+` matches; a page's text becomes 4-token shingles counted with multiplicity.
Per page: TP = shingles shared, FP = extra, FN = missing, the three normalised to sum to 1 (so
long pages weigh no more than short ones). Precision and recall are means over the pages where
they are defined; F1 = 2PR / (P + R).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable

_TOKEN = re.compile(r"\w+", re.UNICODE)
N = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """4-token shingles with their counts (a short text is one shorter shingle)."""
    tokens = _TOKEN.findall(text or "")
    grams = [tuple(tokens[i : i + N]) for i in range(max(1, len(tokens) - N + 1))]
    return Counter(gram for gram in grams if gram)


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """(TP, FP, FN) for one page, normalised to sum to 1."""
    expected, found = shingles(truth), shingles(predicted)
    tp = float(sum((expected & found).values()))
    fp = float(sum((found - expected).values()))
    fn = float(sum((expected - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(hit: float, miss: float, other: float) -> float:
    if miss == other == 0:
        return 1.0
    return hit / (hit + miss) if hit + miss else 0.0


def score(pages: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    """Precision, recall and F1 over pages' normalised counts."""
    counts = list(pages)
    precision = statistics.mean(_ratio(tp, fp, fn) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp) for tp, fp, fn in counts if tp + fn > 0)
    f1 = 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}
