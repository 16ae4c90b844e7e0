"""French mention matching over mentions/europeana-fr: BnF newspapers (OCR) with gold names.

The BIO file holds one token and its tag per line; runs of I-PER or I-ORG tokens are the gold
person and organisation names. The text is rebuilt from the tokens (an elided article such as
"L'" is glued to the next word, as printed), every distinct gold name becomes a watch query, and
all of them run through one Matcher, as monitoring runs an organisation's queries. At least
97% of the gold spans must be found by their own name's query; every miss is written, with the
reason, to var/acceptance/mentions-europeana-fr.md, together with what else the names matched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressdesk.lib.text import ELIDED, normalise_with_offsets
from pressdesk.monitoring.query import Document, Matcher, Query, QuerySyntaxError, named_query

ROOT = Path(__file__).resolve().parent.parent

TYPES = {"I-PER": "PER", "I-ORG": "ORG"}
TOKENS_PER_DOCUMENT = 3000  # about one newspaper column block; keeps offsets per document
REPORT = ROOT / "var" / "acceptance" / "mentions-europeana-fr.md"


@dataclass(frozen=True)
class Gold:
    kind: str
    name: str
    document: int
    start: int
    end: int


def _read(path: Path) -> tuple[list[str], list[Gold]]:
    """The rebuilt documents and the gold spans in them."""
    documents: list[str] = []
    gold: list[Gold] = []
    parts: list[str] = []
    length = 0
    open_span: tuple[str, int] | None = None
    glue = False
    tokens = 0

    def close(end: int) -> None:
        nonlocal open_span
        if open_span:
            kind, start = open_span
            text = "".join(parts)
            gold.append(Gold(kind, text[start:end], len(documents), start, end))
            open_span = None

    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        token, _space, tag = line.rstrip("\n").rpartition(" ")
        token = token.strip()
        if not token:
            continue
        kind = TYPES.get(tag)
        if open_span and kind != open_span[0]:
            close(length)
        if tokens >= TOKENS_PER_DOCUMENT and not open_span and kind is None:
            documents.append("".join(parts))
            parts, length, tokens, glue = [], 0, 0, False
        if parts and not glue:
            parts.append(" ")
            length += 1
        if kind and not open_span:
            open_span = (kind, length)
        parts.append(token)
        length += len(token)
        tokens += 1
        # "L'" or "d’" is printed against the next word.
        glue = token[-1:] in "'’" and token[:-1].lower() in ELIDED
    close(length)
    documents.append("".join(parts))
    return documents, gold


def _words_span(entry: Gold) -> tuple[int, int]:
    """The gold span without the punctuation at its ends ("Hugot ( Charles )" ends at "Charles"),
    which a highlight leaves out."""
    normalised, offsets = normalise_with_offsets(entry.name)
    return entry.start + offsets[0], entry.start + offsets[len(normalised)]


def _why_missed(entry: Gold, text: str) -> str:
    """The reason a gold span was not found by its own name's query."""
    name_form = normalise_with_offsets(entry.name)[0]
    if not name_form:
        return "no letter or digit in the name (OCR noise): nothing to look for"
    context = normalise_with_offsets(text[max(0, entry.start - 30) : entry.end + 30])[0]
    if f" {name_form} " not in f" {context} ":
        return (
            "the name reads differently in its context: an elided article at its edge joins "
            "the next word, or its first or last token is glued to its neighbour"
        )
    return "found by the name's form, but the span differs from the gold one's words"


@pytest.fixture(scope="module")
def europeana(corpus: Path) -> Path:
    path = corpus / "mentions" / "europeana-fr" / "enp_FR.bnf.bio"
    assert path.is_file(), f"missing {path}"
    return path


def test_gold_names_are_found_by_normalised_matching(europeana: Path) -> None:
    documents, gold = _read(europeana)
    assert len(gold) > 4000
    queries: dict[str, Query] = {}
    unreadable: dict[str, str] = {}
    for entry in gold:
        if entry.name in queries or entry.name in unreadable:
            continue
        try:
            queries[entry.name] = named_query(entry.name)
        except QuerySyntaxError as error:
            unreadable[entry.name] = str(error)
    matcher = Matcher(queries)

    found_spans: dict[int, set[tuple[str, int, int]]] = {}
    other = Counter[str]()
    for number, text in enumerate(documents):
        spans = set()
        for match in matcher.match(Document(text)):
            for span in match.spans:
                spans.add((match.query, span.start, span.end))
        found_spans[number] = spans
    gold_keys = {(g.name, g.document, g.start, g.end) for g in gold}
    for number, spans in found_spans.items():
        for name, start, end in spans:
            if (name, number, start, end) not in gold_keys:
                other[name] += 1

    missed = [
        g for g in gold if (g.name, *_words_span(g)) not in found_spans.get(g.document, set())
    ]
    rate = 1 - len(missed) / len(gold)
    _write_report(gold, missed, documents, unreadable, other, rate, len(queries))
    assert rate >= 0.97, f"{rate:.2%} of gold spans found; see {REPORT}"
    assert all(_why_missed(g, documents[g.document]) for g in missed)


def _write_report(
    gold: list[Gold],
    missed: list[Gold],
    documents: list[str],
    unreadable: dict[str, str],
    other: Counter[str],
    rate: float,
    queries: int,
) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    by_kind = Counter(g.kind for g in gold)
    missed_kind = Counter(g.kind for g in missed)
    reasons = Counter(_why_missed(g, documents[g.document]) for g in missed)
    lines = [
        "# mentions/europeana-fr: gold names found by normalised matching",
        "",
        f"- gold spans: {len(gold)} ({by_kind['PER']} persons, {by_kind['ORG']} organisations)",
        f"- distinct names run as queries: {queries}; not usable as queries: {len(unreadable)}",
        f"- found: {len(gold) - len(missed)} ({rate:.2%}); missed: {len(missed)} "
        f"({missed_kind['PER']} persons, {missed_kind['ORG']} organisations)",
        f"- other matches of the names, outside their gold spans: {sum(other.values())} "
        "(the same name untagged elsewhere, or tagged as a place)",
        "",
        "## Why spans were missed",
        "",
        *(f"- {count} × {reason}" for reason, count in reasons.most_common()),
        "",
        "## Every miss",
        "",
        "| kind | name | context | reason |",
        "|---|---|---|---|",
    ]
    for g in missed:
        text = documents[g.document]
        context = text[max(0, g.start - 25) : g.end + 25].replace("|", "¦").replace("\n", " ")
        lines.append(
            f"| {g.kind} | {g.name.replace('|', '¦')} | …{context}… | {_why_missed(g, text)} |"
        )
    lines += ["", "## Names matched most often outside their gold spans", ""]
    lines += [f"- {name}: {count}" for name, count in other.most_common(30)]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
