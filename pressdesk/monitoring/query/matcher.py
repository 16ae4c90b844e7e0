"""One pass over an article for every watch query: an automaton, then each query's logic.

All terms of all queries go into one pyahocorasick automaton over the matching form of the text
(pressdesk.lib.text). Each article is scanned once for its title and once for its text; the
hits say which queries could match (those with a term found outside a NOT), and only those have
their boolean tree evaluated. Terms are stored padded with spaces (" orange ") so that the
automaton only reports whole words, and a prefix (energ*) is padded on the left only. Case
terms (case:"Orange") are checked against the original text through the offset map.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter

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
    terms,
)

_ONE_MORE = (1).__add__
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
            # The map is made with the form: deferring it (normalise_mapped's default) costs
            # more in all when, as in bench_match, most articles match something.
            normalised, offsets = normalise_mapped(original, deferred=False)
            prepared.forms[name] = (original, normalised, offsets)
        return prepared


@dataclass(frozen=True)
class _Pattern:
    key: str  # what the automaton looks for, padded with spaces
    prefix: bool
    length: int  # of the key


Hit = tuple[str, int, int]  # field, start, end in the matching form


_PATTERN = itemgetter(1)


class _Hits:
    """A document's term hits: the triggers' from the automaton, the others' looked up on need.

    Only trigger terms (those that wake a query up) go through the automaton, so the common
    words of NOT parts and NEAR sides cost nothing in articles that wake no query; for the few
    queries evaluated, their other terms are found with str.find over the padded text (C).
    """

    def __init__(
        self,
        patterns: list[_Pattern],
        prepared: Prepared,
        found: dict[str, list[tuple[int, int]]],
        padded: dict[str, str],
        scanned: frozenset[int],
    ) -> None:
        self.patterns = patterns
        self.prepared = prepared
        self.found = found
        self.padded = padded  # each field's matching form with a space at both ends
        self.scanned = scanned  # the patterns the automaton looked for
        # Both fields in one string for has(): keys hold no newline, so none spans the two.
        self._joined = "\n".join(padded.values())
        self._by_pattern: dict[int, list[Hit]] = {}

    def present(self) -> set[int]:
        """The trigger patterns found at least once."""
        return set().union(*(map(_PATTERN, hits) for hits in self.found.values()))

    def has(self, index: int) -> bool:
        """Whether a pattern was found, without reading out where."""
        if index in self._by_pattern:
            return bool(self._by_pattern[index])
        if index not in self.scanned:
            return self.patterns[index].key in self._joined
        for hits in self.found.values():
            at = bisect_left(hits, index, key=_PATTERN)
            if at < len(hits) and hits[at][1] == index:
                return True
        return False

    def _ends(self, index: int, where: str) -> list[int]:
        """Where a pattern's occurrences end in a field's padded form (the automaton's way)."""
        if index in self.scanned:
            hits = self.found.get(where, [])
            low = bisect_left(hits, index, key=_PATTERN)
            high = bisect_right(hits, index, lo=low, key=_PATTERN)
            return [end for end, _index in hits[low:high]]
        padded = self.padded.get(where, "")
        key = self.patterns[index].key
        last = len(key) - 1
        ends = []
        at = padded.find(key)
        while at >= 0:
            ends.append(at + last)
            at = padded.find(key, at + 1)  # occurrences may share their padding space
        return ends

    def get(self, index: int, default: list[Hit] | None = None) -> list[Hit]:
        """Where a pattern is: (field, start, end) in the matching form."""
        if index in self._by_pattern:
            return self._by_pattern[index]
        pattern = self.patterns[index]
        located: list[Hit] = []
        for where in self.padded:
            ends = self._ends(index, where)
            if not ends:
                continue
            normalised = self.prepared.forms[where][1]
            for end in ends:
                # The key starts with its padding space at end - length + 1 in the padded
                # text, which is where the word starts in the unpadded one.
                start = end - pattern.length + 1
                if pattern.prefix:
                    stop = normalised.find(" ", start)
                    located.append((where, start, len(normalised) if stop < 0 else stop))
                else:
                    located.append((where, start, end - 1))
        located.sort()
        self._by_pattern[index] = located
        return located


class _Evaluation:
    """One query over one prepared document: which terms hold, and where."""

    def __init__(self, matcher: Matcher, prepared: Prepared, hits: _Hits) -> None:
        self.matcher = matcher
        self.prepared = prepared
        self.hits = hits
        # Hits of each term, shared by equal terms: (pattern, field, capitals) → hits.
        self.found: dict[tuple[int, str, tuple[bool, ...] | None], list[Hit]] = {}
        self._word_starts: dict[str, list[int]] = {}

    def term_hits(self, term: Term) -> list[Hit]:
        """Where a term is, after its field, case and the outlet's own name are checked."""
        pattern = self.matcher.pattern_of[id(term)]
        key = (pattern, term.field, term.capitals if term.case else None)
        if key in self.found:
            return self.found[key]
        found = self.hits.get(pattern, [])
        if term.field:
            found = [hit for hit in found if hit[0] == term.field]
        if term.case:
            forms = self.prepared.forms
            found = [
                (where, start, end)
                for where, start, end in found
                if capitals(forms[where][0], forms[where][2], start, end) == term.capitals
            ]
        outlet = self.matcher.outlet_spans(self.prepared)
        if outlet:
            found = [
                hit
                for hit in found
                if hit[0] != TEXT or not any(s <= hit[1] and hit[2] <= e for s, e in outlet)
            ]
        self.found[key] = found
        return found

    def holds(self, node: Node) -> bool:
        """Whether a node matches the document."""
        if isinstance(node, Term):
            if not (node.field or node.case or self.matcher.outlet_spans(self.prepared)):
                return self.hits.has(self.matcher.pattern_of[id(node)])
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
        left_terms, right_terms = self.matcher.sides(node)
        left = [hit for term in left_terms for hit in self.term_hits(term)]
        if not left:
            return []
        right = [hit for term in right_terms for hit in self.term_hits(term)]
        if not right:
            return []
        # Words rather than characters: each hit as (field, first word, word after its last).
        placed = sorted((self.in_words(hit), hit) for hit in right)
        keys = [words for words, _hit in placed]
        longest = max(words[2] - words[1] for words in keys)
        close: set[Hit] = set()
        for hit in left:
            where, first, after = self.in_words(hit)
            # Right-hand hits starting from `longest + distance` words before to `distance` after.
            low = bisect_left(keys, (where, first - longest - node.distance, -1))
            high = bisect_left(keys, (where, after + node.distance + 1, -1))
            for (_where, other_first, other_after), other in placed[low:high]:
                gap = other_first - after if other_first >= after else first - other_after
                if 0 <= gap <= node.distance:
                    close.update((hit, other))
        return sorted(close)

    def in_words(self, hit: Hit) -> tuple[str, int, int]:
        """A hit as its field, its first word's index and the index after its last word."""
        starts = self.word_starts(hit[0])
        return hit[0], bisect_left(starts, hit[1]), bisect_left(starts, hit[2])

    def word_starts(self, where: str) -> list[int]:
        """Where each word of a field starts in the matching form, found on first need."""
        if where not in self._word_starts:
            normalised = self.prepared.forms[where][1]
            # Each word starts one past the end of the one before: C loops all the way.
            lengths = map(_ONE_MORE, map(len, normalised.split(" ")))
            self._word_starts[where] = list(accumulate(lengths, initial=0))
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
            return [
                hit for child in node.children if self.holds(child) for hit in self.spans(child)
            ]
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
        self._sides: dict[int, tuple[list[Term], list[Term]]] = {}
        for name, query in self.queries.items():
            positive = {id(term) for term in triggers(query.root)[1]}
            for term in terms(query.root):
                key = f" {term.words}" if term.prefix else f" {term.words} "
                if key not in keys:
                    keys[key] = len(self.patterns)
                    self.patterns.append(_Pattern(key, term.prefix, len(key)))
                index = keys[key]
                self.pattern_of[id(term)] = index
                self._terms.append(term)
                if id(term) in positive and name not in self.candidates[index][-1:]:
                    self.candidates[index].append(name)
        # The automaton holds the triggers only; the other terms are looked up on need.
        for key, index in keys.items():
            if index in self.candidates:
                self.automaton.add_word(key, index)
        if self.candidates:
            self.automaton.make_automaton()
        self.triggers = set(self.candidates)
        self.scanned = frozenset(self.candidates)
        self.order = {name: number for number, name in enumerate(self.queries)}

    def scan(self, prepared: Prepared) -> _Hits:
        """Every trigger's occurrences in the title and the text, in one automaton pass each."""
        found: dict[str, list[tuple[int, int]]] = {}
        padded: dict[str, str] = {}
        for where, (_original, normalised, _offsets) in prepared.forms.items():
            if normalised:
                padded[where] = f" {normalised} "
                if self.scanned:
                    hits = list(self.automaton.iter(padded[where]))
                    hits.sort(key=_PATTERN)
                    found[where] = hits
        return _Hits(self.patterns, prepared, found, padded, self.scanned)

    def sides(self, node: Near) -> tuple[list[Term], list[Term]]:
        """The terms on each side of a NEAR."""
        key = id(node)
        if key not in self._sides:
            self._sides[key] = (terms(node.left), terms(node.right))
        return self._sides[key]

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
        names: set[str] = set()
        for index in hits.present() & self.triggers:
            names.update(self.candidates[index])
        matches = []
        evaluation = _Evaluation(self, prepared, hits)  # shared: terms are cached by identity
        for name in sorted(names, key=self.order.__getitem__):
            query = self.queries[name]
            if evaluation.holds(query.root):
                matches.append(self._match(name, query, evaluation))
        return matches

    def _match(self, name: str, query: Query, evaluation: _Evaluation) -> Match:
        spans = sorted(set(evaluation.spans(query.root)))
        terms_at: dict[Hit, str] = {}
        for term in terms(query.root):
            for hit in evaluation.term_hits(term):
                terms_at.setdefault(hit, f"{term.source}*" if term.prefix else term.source)
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


def _cost(term: Term) -> float:
    """How often a term is likely to be found: phrases rarely, short words and prefixes often."""
    if " " in term.words:
        return 1.0
    return (2.0 if len(term.words) >= 6 else 4.0) + (2.0 if term.prefix else 0.0)


def triggers(node: Node) -> tuple[float, list[Term]]:
    """Terms of which one must be found for the node to match, the likely rarest such set.

    Only queries with a trigger found are evaluated: for `Bomira NEAR/5 (ville OR réseau*)`
    that is Bomira, so the common word "ville" does not wake the query up in every article.
    """
    if isinstance(node, Term):
        return _cost(node), [node]
    if isinstance(node, Filter | Not):
        return float("inf"), []
    if isinstance(node, Near):
        return min(triggers(node.left), triggers(node.right), key=lambda found: found[0])
    options = [triggers(child) for child in node.children]
    if isinstance(node, And):
        return min(options, key=lambda found: found[0])
    return sum(cost for cost, _ in options), [term for _, found in options for term in found]


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
