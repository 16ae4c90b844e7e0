"""One pass over an article for every watch query: an automaton, then each query's logic.

All terms of all queries go into one pyahocorasick automaton over the matching form of the text
(pressdesk.lib.text). Each article is scanned once for its title and once for its text; the
hits say which queries could match (those with a term found outside a NOT), and only those have
their boolean tree evaluated. Terms are stored padded with spaces (" orange ") so that the
automaton only reports whole words, and a prefix (energ*) is padded on the left only. Case
terms (case:"Orange") are checked against the original text through the offset map.

What costs is Python per candidate query and per match, so: a query of plain terms joined by OR
matches once woken up; spans and explanations are made only when read (Match); each hit is
mapped to the original once; NEAR counts words with str.count rather than listing them all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter

import ahocorasick
from django.utils.translation import get_language

from pressdesk.lib.text import OffsetMap, normalise_mapped
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


class Match:
    """A query that matched a document, where, and why (in the language active when matched).

    Deciding which queries match is the hot path; where and why are worked out when first
    read (most callers read them, a benchmark or a count need not), from the evaluation the
    decision left behind, so they are the same as if made at once.
    """

    __slots__ = ("_explanation", "_later", "_spans", "query")

    def __init__(
        self,
        query: str,
        spans: list[Span] | None = None,
        explanation: str | None = None,
        *,
        later: _Later | None = None,
    ) -> None:
        self.query = query
        self._spans = spans
        self._explanation = explanation
        self._later = later

    @property
    def spans(self) -> list[Span]:
        """Where the terms that make the query match are, in the original title or text."""
        if self._spans is None:
            self._spans = self._later.spans() if self._later is not None else []
        return self._spans

    @property
    def explanation(self) -> str:
        """Why it matched, one sentence per reason, separated by "; "."""
        if self._explanation is None:
            self._explanation = self._later.explanation() if self._later is not None else ""
        return self._explanation

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Match):
            return NotImplemented
        return (self.query, self.spans, self.explanation) == (
            other.query,
            other.spans,
            other.explanation,
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, like the dataclass it was

    def __repr__(self) -> str:
        return (
            f"Match(query={self.query!r}, spans={self.spans!r}, explanation={self.explanation!r})"
        )


class _Later:
    """What a match needs to say where and why when asked: its query and the evaluation."""

    __slots__ = ("evaluation", "language", "matcher", "name", "query")

    def __init__(
        self,
        matcher: Matcher,
        name: str,
        query: Query,
        evaluation: _Evaluation,
        language: str | None,
    ) -> None:
        self.matcher = matcher
        self.name = name
        self.query = query
        self.evaluation = evaluation
        self.language = language

    def spans(self) -> list[Span]:
        return self.matcher.spans_of(self.query, self.evaluation)

    def explanation(self) -> str:
        return explain(
            self.query.root, self.evaluation, self.evaluation.original_span, language=self.language
        )


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
        self._present: set[int] | None = None
        self._has: dict[int, bool] = {}

    def present(self) -> set[int]:
        """The trigger patterns found at least once."""
        if self._present is None:
            self._present = set().union(*(map(_PATTERN, hits) for hits in self.found.values()))
        return self._present

    def has(self, index: int) -> bool:
        """Whether a pattern was found, without reading out where."""
        if index in self.scanned:
            return index in self.present()
        known = self._has.get(index)
        if known is None:
            # A substring search costs microseconds on an article: once per pattern.
            known = self._has[index] = self.patterns[index].key in self._joined
        return known

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
        # Per field, positions whose spaces before them are counted, and the counts.
        self._spaces: dict[str, tuple[list[int], list[int]]] = {}
        # Whether each node holds, by id(): the decision's answers, read again when the
        # spans and the explanation walk the same tree.
        self._holds: dict[int, bool] = {}
        self._originals: dict[Hit, tuple[int, int]] = {}  # hits in the original text

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
            original = self.original  # cached: the spans map the same hits again
            found = [
                hit for hit in found if _capitals(forms[hit[0]][0], *original(hit)) == term.capitals
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
        known = self._holds.get(id(node))
        if known is None:
            known = self._holds[id(node)] = self._decide(node)
        return known

    def _decide(self, node: Node) -> bool:
        if isinstance(node, Term):
            if not (node.field or node.case or self.matcher.outlet_spans(self.prepared)):
                return self.hits.has(self.matcher.pattern_of[id(node)])
            return bool(self.term_hits(node))
        if isinstance(node, And):
            return all(map(self.holds, node.children))
        if isinstance(node, Or):
            return any(map(self.holds, node.children))
        if isinstance(node, Not):
            return not self.holds(node.child)
        if isinstance(node, Near):
            return bool(self.near_hits(node))
        return self.filter_holds(node)

    def original_span(self, prepared: Prepared, hit: Hit, term: str) -> Span:
        """Matcher.original_span(), each hit mapped once however many times it is shown."""
        start, end = self.original(hit)
        return Span(hit[0], start, end, term)

    def original(self, hit: Hit) -> tuple[int, int]:
        """Where a hit is in its field's original text."""
        found = self._originals.get(hit)
        if found is None:
            offsets = self.prepared.forms[hit[0]][2]
            found = self._originals[hit] = (offsets[hit[1]], offsets[hit[2]])
        return found

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
        where = hit[0]
        # A hit starts at a word and ends before a space (or at the end): the words before
        # it are the spaces before it, the word after its last one more than those before it.
        return where, self.spaces_before(where, hit[1]), self.spaces_before(where, hit[2]) + 1

    def spaces_before(self, where: str, at: int) -> int:
        """How many spaces a field's matching form has before `at`.

        Counted with str.count from the nearest position already counted: a few hits cost a
        few C scans, where listing every word's start (str.split) cost more than the rest of
        the evaluation of a NEAR query.
        """
        known = self._spaces.get(where)
        if known is None:
            known = self._spaces[where] = ([0], [0])
        positions, counts = known
        index = bisect_right(positions, at) - 1
        if positions[index] == at:
            return counts[index]
        count = counts[index] + self.prepared.forms[where][1].count(" ", positions[index], at)
        positions.insert(index + 1, at)
        counts.insert(index + 1, count)
        return count

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
        self._query_terms: dict[int, list[Term]] = {}
        self.plain = frozenset(name for name, query in self.queries.items() if _plain(query.root))
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
        """The queries the document matches; where and why are worked out when read."""
        prepared = document if isinstance(document, Prepared) else Prepared.of(document)
        hits = self.scan(prepared)
        names: set[str] = set()
        candidates = self.candidates
        for index in hits.present():
            names.update(candidates[index])
        if not names:
            return []
        evaluation = _Evaluation(self, prepared, hits)  # shared: terms are cached by identity
        # A query that is only plain terms joined by OR matches as soon as one of them is
        # found, which waking it up says, unless the outlet's own name may be all it found.
        plain = self.plain if not self.outlet_spans(prepared) else frozenset()
        language: str | None = None  # looked up (through asgiref) once, if anything matches
        matches = []
        queries = self.queries
        for name in sorted(names, key=self.order.__getitem__):
            query = queries[name]
            if name in plain or evaluation.holds(query.root):
                if language is None:
                    language = get_language()
                matches.append(Match(name, later=_Later(self, name, query, evaluation, language)))
        return matches

    def spans_of(self, query: Query, evaluation: _Evaluation) -> list[Span]:
        """Where the terms that make a matching query match are, in the original text."""
        spans = sorted(set(evaluation.spans(query.root)))
        terms_at: dict[Hit, str] = {}
        has = evaluation.hits.has
        pattern_of = self.pattern_of
        for term in self.terms_of(query):
            # Each hit is named after the first term, in reading order, that found it.
            if has(pattern_of[id(term)]):
                for hit in evaluation.term_hits(term):
                    terms_at.setdefault(hit, f"{term.source}*" if term.prefix else term.source)
        original = evaluation.original_span
        prepared = evaluation.prepared
        return [original(prepared, hit, terms_at.get(hit, "")) for hit in spans]

    def terms_of(self, query: Query) -> list[Term]:
        """A query's terms in reading order, listed once."""
        found = self._query_terms.get(id(query))
        if found is None:
            found = self._query_terms[id(query)] = terms(query.root)
        return found

    @staticmethod
    def original_span(prepared: Prepared, hit: Hit, term: str) -> Span:
        """A hit in the matching form, as a span of the original title or text."""
        where, start, end = hit
        offsets = prepared.forms[where][2]
        return Span(where, offsets[start], offsets[end], term)


def _capitals(text: str, start: int, end: int) -> tuple[bool, ...]:
    """compiler.capitals() of a span already mapped to the original text."""
    return tuple(map(str.isupper, filter(str.isalnum, text[start:end])))


def _plain(node: Node) -> bool:
    """Whether a node is terms joined by OR only, none with a field or case: found is matched."""
    if isinstance(node, Term):
        return not (node.field or node.case)
    return isinstance(node, Or) and all(map(_plain, node.children))


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
