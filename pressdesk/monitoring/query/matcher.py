"""One pass over an article for every watch query: an automaton, then each query's logic.

All terms of all queries go into one pyahocorasick automaton over the matching form of the text
(pressdesk.lib.text). Each article is scanned once for its title and once for its text; the
hits say which queries could match (those with a term found outside a NOT), and only those have
their boolean tree evaluated. Terms are stored padded with spaces (" orange ") so that the
automaton only reports whole words, and a prefix (energ*) is padded on the left only. Case
terms (case:"Orange") are checked against the original text through the offset map.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import ahocorasick

from pressdesk.lib.text import OffsetMap, normalise_mapped
from pressdesk.monitoring.query.compiler import capitals
from pressdesk.monitoring.query.explain import explain
from pressdesk.monitoring.query.nodes import (
    And,
    Filter,
    Near,
    Node,
    Not,
    Or,
    Query,
    Term,
    positive_terms,
    terms,
)

TEXT = "text"
TITLE = "title"

# Media types an article's outlet may have (contacts' MediaType), and the words users write.
TYPE_WORDS = {"regional": "regional_daily", "pqr": "regional_daily", "regionale": "regional_daily"}


@dataclass(frozen=True)
class Document:
    """An article as the matcher sees it: text and title as published, and its metadata."""

    text: str
    title: str = ""
    lang: str | None = None
    outlet: str = ""
    media_type: str = ""


@dataclass(frozen=True)
class Span:
    """Where a term was found: offsets in the original title or text, end excluded."""

    field: str
    start: int
    end: int
    term: str


@dataclass(frozen=True)
class Match:
    """A query that matched a document, where, and why (in the active language)."""

    query: str
    spans: list[Span]
    explanation: str


@dataclass
class Prepared:
    """A document's title and text in the matching form, with their maps back to the original."""

    document: Document
    forms: dict[str, tuple[str, str, OffsetMap]] = field(default_factory=dict)
    outlet: list[tuple[int, int]] | None = None  # where the outlet's name is in the text

    @classmethod
    def of(cls, document: Document) -> Prepared:
        """Normalise a document once, whatever number of matchers then read it."""
        prepared = cls(document)
        for name, original in ((TEXT, document.text), (TITLE, document.title)):
            normalised, offsets = normalise_mapped(original)
            prepared.forms[name] = (original, normalised, offsets)
        return prepared


@dataclass(frozen=True)
class _Pattern:
    key: str  # what the automaton looks for, padded with spaces
    prefix: bool
    length: int  # of the key


Hit = tuple[str, int, int]  # field, start, end in the matching form


class _Evaluation:
    """One query over one prepared document: which terms hold, and where."""

    def __init__(self, matcher: Matcher, prepared: Prepared, hits: dict[int, list[Hit]]) -> None:
        self.matcher = matcher
        self.prepared = prepared
        self.hits = hits
        self.found: dict[int, list[Hit]] = {}  # id(term) → its hits in this document
        self._word_starts: dict[str, list[int]] = {}

    def term_hits(self, term: Term) -> list[Hit]:
        """Where a term is, after its field, case and the outlet's own name are checked."""
        key = id(term)
        if key in self.found:
            return self.found[key]
        found = []
        for hit in self.hits.get(self.matcher.pattern_of[key], ()):
            where, start, end = hit
            if term.field and where != term.field:
                continue
            original, normalised, offsets = self.prepared.forms[where]
            if term.case and capitals(original, normalised, offsets, start, end) != term.capitals:
                continue
            if where == TEXT and self.outlet_covers(start, end):
                continue
            found.append(hit)
        self.found[key] = found
        return found

    def outlet_covers(self, start: int, end: int) -> bool:
        """Whether the span is inside the article's own outlet's name ("© Ouest-France")."""
        return any(s <= start and end <= e for s, e in self.matcher.outlet_spans(self.prepared))

    def holds(self, node: Node) -> bool:
        """Whether a node matches the document."""
        if isinstance(node, Term):
            return bool(self.term_hits(node))
        if isinstance(node, And):
            return all(self.holds(child) for child in node.children)
        if isinstance(node, Or):
            return any(self.holds(child) for child in node.children)
        if isinstance(node, Not):
            return not self.holds(node.child)
        if isinstance(node, Near):
            return bool(self.near_hits(node))
        return self.filter_holds(node)

    def near_hits(self, node: Near) -> list[Hit]:
        """The hits of both sides that are within the distance of one another."""
        left = [hit for term in terms(node.left) for hit in self.term_hits(term)]
        right = [hit for term in terms(node.right) for hit in self.term_hits(term)]
        close: set[Hit] = set()
        for a in left:
            for b in right:
                if a[0] == b[0] and self.words_between(a, b) <= node.distance:
                    close.update((a, b))
        return sorted(close)

    def words_between(self, a: Hit, b: Hit) -> int:
        """How many words lie between two hits of the same field (-1 if they overlap)."""
        first, second = (a, b) if a[1] <= b[1] else (b, a)
        if second[1] < first[2]:
            return 1 << 30  # overlapping hits are one mention, not two close ones
        starts = self.word_starts(first[0])
        return bisect_left(starts, second[1]) - bisect_left(starts, first[2]) - 1

    def word_starts(self, where: str) -> list[int]:
        if where not in self._word_starts:
            normalised = self.prepared.forms[where][1]
            positions = [0] if normalised else []
            index = normalised.find(" ")
            while index >= 0:
                positions.append(index + 1)
                index = normalised.find(" ", index + 1)
            self._word_starts[where] = positions
        return self._word_starts[where]

    def filter_holds(self, node: Filter) -> bool:
        document = self.prepared.document
        wanted = normalise_mapped(node.value)[0]
        if node.field == "lang":
            actual = (document.lang or "").lower().replace("_", "-")
            return actual == wanted.replace(" ", "-") or actual.startswith(wanted + "-")
        if node.field == "outlet":
            actual = normalise_mapped(document.outlet)[0]
            return actual.startswith(wanted) if node.prefix else actual == wanted
        media_type = document.media_type.lower()
        wanted = TYPE_WORDS.get(wanted, wanted).replace(" ", "_")
        return media_type == wanted or wanted in media_type.split("_")

    def spans(self, node: Node) -> list[Hit]:
        """The hits that make a matching node match (none from its NOT parts)."""
        if isinstance(node, Term):
            return self.term_hits(node)
        if isinstance(node, Near):
            return self.near_hits(node)
        if isinstance(node, And | Or):
            return [hit for child in node.children if self.holds(child) for hit in self.spans(child)]
        return []


class Matcher:
    """Every watch query, compiled into one automaton; match() reads a document once."""

    def __init__(self, queries: Mapping[str, Query]) -> None:
        self.queries = dict(queries)
        self.automaton = ahocorasick.Automaton()
        self.patterns: list[_Pattern] = []
        self.pattern_of: dict[int, int] = {}  # id(term) → pattern index
        self.candidates: dict[int, list[str]] = defaultdict(list)  # pattern → queries it may fire
        self._terms: list[Term] = []  # kept alive: pattern_of is keyed by id()
        keys: dict[str, int] = {}
        for name, query in self.queries.items():
            positive = {id(term) for term in positive_terms(query.root)}
            for term in terms(query.root):
                key = f" {term.words}" if term.prefix else f" {term.words} "
                if key not in keys:
                    keys[key] = len(self.patterns)
                    self.patterns.append(_Pattern(key, term.prefix, len(key)))
                    self.automaton.add_word(key, keys[key])
                index = keys[key]
                self.pattern_of[id(term)] = index
                self._terms.append(term)
                if id(term) in positive and name not in self.candidates[index][-1:]:
                    self.candidates[index].append(name)
        if self.patterns:
            self.automaton.make_automaton()

    def scan(self, prepared: Prepared) -> dict[int, list[Hit]]:
        """Every term occurrence in the title and the text: pattern → (field, start, end)."""
        hits: dict[int, list[Hit]] = defaultdict(list)
        if not self.patterns:
            return hits
        patterns = self.patterns
        for where, (_original, normalised, _offsets) in prepared.forms.items():
            if not normalised:
                continue
            for end, index in self.automaton.iter(f" {normalised} "):
                pattern = patterns[index]
                # The key starts with the padding space at end - length + 1 in the padded text,
                # so the word starts there in the unpadded one.
                start = end - pattern.length + 1
                if pattern.prefix:
                    stop = normalised.find(" ", start)
                    hits[index].append((where, start, len(normalised) if stop < 0 else stop))
                else:
                    hits[index].append((where, start, end - 1))
        return hits

    @staticmethod
    def outlet_spans(prepared: Prepared) -> list[tuple[int, int]]:
        """Where the article's outlet names itself in its text: metadata, not a mention."""
        if prepared.outlet is None:
            prepared.outlet = _occurrences(prepared.forms[TEXT][1], prepared.document.outlet)
        return prepared.outlet

    def match(self, document: Document | Prepared) -> list[Match]:
        """The queries the document matches, with where and why."""
        prepared = document if isinstance(document, Prepared) else Prepared.of(document)
        hits = self.scan(prepared)
        names: dict[str, None] = {}
        for index in hits:
            for name in self.candidates.get(index, ()):
                names[name] = None
        matches = []
        for name in names:
            query = self.queries[name]
            evaluation = _Evaluation(self, prepared, hits)
            if evaluation.holds(query.root):
                matches.append(self._match(name, query, evaluation))
        return matches

    def _match(self, name: str, query: Query, evaluation: _Evaluation) -> Match:
        spans = sorted(set(evaluation.spans(query.root)))
        terms_at = {}
        for term in terms(query.root):
            for hit in evaluation.found.get(id(term), ()):
                terms_at.setdefault(hit, term.source)
        originals = [
            self.original_span(evaluation.prepared, hit, terms_at.get(hit, "")) for hit in spans
        ]
        return Match(name, originals, explain(query.root, evaluation, self.original_span))

    @staticmethod
    def original_span(prepared: Prepared, hit: Hit, term: str) -> Span:
        """A hit in the matching form, as a span of the original title or text."""
        where, start, end = hit
        offsets = prepared.forms[where][2]
        return Span(where, offsets[start], offsets[end], term)


def _occurrences(normalised: str, name: str) -> list[tuple[int, int]]:
    """Where a name's matching form stands as whole words in a normalised text."""
    wanted = normalise_mapped(name)[0] if name else ""
    if not wanted:
        return []
    found = []
    padded = f" {normalised} "
    index = padded.find(f" {wanted} ")
    while index >= 0:
        found.append((index, index + len(wanted)))
        index = padded.find(f" {wanted} ", index + 1)
    return found


def match_all(matcher: Matcher, documents: Iterable[Document]) -> Iterable[tuple[Document, Match]]:
    """Each document's matches, in order."""
    for document in documents:
        for found in matcher.match(document):
            yield document, found
