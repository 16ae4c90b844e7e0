"""The matcher's shortcuts give what the full evaluation gives, on seeded random queries and text.

Three shortcuts keep matching fast (pressdesk/monitoring/query/matcher.py): a query of plain terms
joined by OR is matched without evaluating it, a match's spans and explanation are worked out
when read, and NEAR counts words with str.count. Each is compared here with the way it replaced:
the full boolean evaluation, reading at once, and listing every word's start.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from itertools import accumulate

from django.utils import translation

from pressdesk.monitoring.query import Document, Matcher, QuerySyntaxError, parse
from pressdesk.monitoring.query.matcher import Match, Prepared, _Evaluation
from pressdesk.monitoring.query.nodes import Query

WORDS = [
    "Orange",
    "orange",
    "ORANGE",
    "jus",
    "fruit",
    "Marie",
    "Dupont",
    "Mme",
    "M.",
    "Jean-Luc",
    "Jeanluc",
    "Saint-Étienne",
    "énergie",
    "l’Orange",
    "d'Orange",
    "réseau",
    "réseaux",
    "Ouest-France",
    "œuvre",
    "Œuvre",
    ",",
    ".",
    "«",
    "»",
    "—",
]
TERMS = [
    "Orange",
    'case:"Orange"',
    "title:Orange",
    '"Marie Dupont"',
    '"Mme Dupont"',
    "Dupont",
    "jus",
    "fruit*",
    "réseau*",
    "Jean-Luc",
    "Saint-Étienne",
    "oeuvre",
    '"Ouest-France"',
    'case:"ORANGE"',
    "energ*",
]
FILTERS = ["lang:fr", 'outlet:"Ouest*"', "type:regional"]


def random_expression(rng: random.Random, depth: int = 0) -> str:
    """A query of the boolean language, from a small vocabulary so that parts often match."""
    roll = rng.random()
    if depth >= 3 or roll < 0.35:
        return rng.choice(TERMS)
    if roll < 0.6:
        parts = [random_expression(rng, depth + 1) for _ in range(rng.randint(2, 4))]
        return "(" + " OR ".join(parts) + ")"
    if roll < 0.75:
        parts = [random_expression(rng, depth + 1) for _ in range(2)]
        return "(" + " AND ".join(parts) + ")"
    if roll < 0.85:
        return f"({random_expression(rng, depth + 1)} NOT {random_expression(rng, depth + 1)})"
    if roll < 0.95:
        left, right = rng.choice(TERMS[:12]), rng.choice(TERMS[:12])
        if left.startswith(("case:", "title:")) or right.startswith(("case:", "title:")):
            return left
        return f"({left} NEAR/{rng.randint(0, 4)} {right})"
    return f"({random_expression(rng, depth + 1)} AND {rng.choice(FILTERS)})"


def random_queries(rng: random.Random, count: int) -> dict[str, Query]:
    """Queries that parse; a third of them plain ORs of terms, which take the shortcut."""
    queries: dict[str, Query] = {}
    while len(queries) < count:
        if rng.random() < 0.33:
            expression = " OR ".join(rng.sample([t for t in TERMS if ":" not in t], 3))
        else:
            expression = random_expression(rng)
        try:
            queries[f"q{len(queries)}"] = parse(expression)
        except QuerySyntaxError:
            continue
    return queries


def random_document(rng: random.Random) -> Document:
    """A short article with a title, a language, and sometimes an outlet naming itself."""
    return Document(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))),
        title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5))),
        lang=rng.choice([None, "fr", "en"]),
        outlet=rng.choice(["", "Ouest-France", "Orange"]),
        media_type=rng.choice(["", "regional_daily"]),
    )


def read(matches: list[Match]) -> list[tuple[str, list[tuple[str, int, int, str]], str]]:
    """What callers read of matches: query, spans, explanation."""
    return [
        (m.query, [(s.field, s.start, s.end, s.term) for s in m.spans], m.explanation)
        for m in matches
    ]


def test_it_matches_plain_queries_as_the_full_evaluation_does() -> None:
    rng = random.Random(20261128)
    for _round in range(20):
        queries = random_queries(rng, 40)
        fast = Matcher(queries)
        full = Matcher(queries)
        full.plain = frozenset()  # every query through the boolean evaluation
        assert fast.plain, "no query took the shortcut: the test would prove nothing"
        for _ in range(30):
            document = random_document(rng)
            assert read(fast.match(document)) == read(full.match(document)), document


def test_it_gives_the_same_spans_and_explanation_read_late_as_read_at_once() -> None:
    rng = random.Random(7)
    queries = random_queries(rng, 60)
    matcher = Matcher(queries)
    documents = [random_document(rng) for _ in range(200)]
    with translation.override("fr"):
        at_once = [read(matcher.match(document)) for document in documents]
        late = [matcher.match(document) for document in documents]
    assert sum(map(len, at_once)) > 100
    # Read in another language and in reverse order: the explanation keeps the language that
    # was active when the match was made, and no evaluation's caches leak into another's.
    with translation.override("en"):
        for matches in reversed(late):
            for match in reversed(matches):
                assert match.explanation
    assert [read(matches) for matches in late] == at_once


def word_positions(normalised: str, hit: tuple[str, int, int]) -> tuple[str, int, int]:
    """The former in_words(): bisect among the start of every word."""
    starts = list(accumulate((len(word) + 1 for word in normalised.split(" ")), initial=0))
    return hit[0], bisect_left(starts, hit[1]), bisect_left(starts, hit[2])


def test_it_counts_words_before_a_hit_as_listing_every_word_did() -> None:
    rng = random.Random(3)
    matcher = Matcher({"q": parse("orange")})
    vocabulary = ["a", "bb", "orange", "réseau", "l’Œuvre", "d'ici", "x-y", ",", "…", "  "]
    checked = 0
    for _ in range(300):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 60)))
        prepared = Prepared.of(Document(text))
        evaluation = _Evaluation(matcher, prepared, matcher.scan(prepared))
        normalised = prepared.forms["text"][1]
        if not normalised:
            continue
        # Every span of whole words, in random order so that counts build on one another.
        bounds = [0, *(i for i, char in enumerate(normalised) if char == " "), len(normalised)]
        starts = [0, *(i + 1 for i, char in enumerate(normalised) if char == " ")]
        spans = [(s, e) for s in starts for e in bounds if e > s]
        for start, end in rng.sample(spans, min(len(spans), 40)):
            hit = ("text", start, end)
            assert evaluation.in_words(hit) == word_positions(normalised, hit), (text, hit)
            checked += 1
    assert checked > 5000


def test_it_still_compares_matches_by_value() -> None:
    matcher = Matcher({"o": parse("orange")})
    first = matcher.match(Document("Une orange."))
    assert first == matcher.match(Document("Une orange."))
    assert first != matcher.match(Document("Deux oranges, une orange."))
    assert first == [Match("o", first[0].spans, first[0].explanation)]
    assert "orange" in repr(first[0])
