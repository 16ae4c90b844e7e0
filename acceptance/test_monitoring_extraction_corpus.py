"""Article extraction over the Zyte article-extraction benchmark: F1 ≥ 0.95 on the body text.

Each page goes through `pressdesk.monitoring.extraction.extract` as a fetched page would (the
gzip-decompressed bytes, with its URL). Scoring is the benchmark's own (acceptance/shingles.py).
trafilatura alone scores 0.958–0.960 here. Run with `pytest -s` for the figures.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from pressdesk.monitoring.extraction import Unreadable, extract

sys.path.insert(0, str(Path(__file__).parent))
from shingles import page_counts, score  # noqa: E402

TARGET_F1 = 0.95


def test_it_extracts_article_text_as_well_as_the_benchmark_asks(corpus: Path) -> None:
    folder = corpus / "articles" / "zyte-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    counts = []
    unreadable = []
    for key, expected in truth.items():
        page = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        try:
            text = extract(page, expected.get("url")).text
        except Unreadable as exc:
            unreadable.append(f"{key}: {exc.reason}")
            text = ""
        counts.append(page_counts(expected.get("articleBody", ""), text))
    figures = score(counts)
    print(
        f"\nzyte-benchmark: {len(counts)} pages, precision {figures['precision']:.3f}, "
        f"recall {figures['recall']:.3f}, F1 {figures['f1']:.3f}; unreadable: {unreadable}"
    )
    assert figures["f1"] >= TARGET_F1


def test_the_scoring_matches_the_benchmark_definition() -> None:
    assert page_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts("one two three four five", "one two three four six")
    assert (tp, fp, fn) == (1 / 3, 1 / 3, 1 / 3)
    assert score([(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]) == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3}
