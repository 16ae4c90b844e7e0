"""Monitoring's one-pass matcher: 10,000 watch queries over news text, against two baselines.

    .venv/bin/python bench/bench_match.py               # 10,000 queries, 50 MB of text
    .venv/bin/python bench/bench_match.py --mb 5        # a quick run
    .venv/bin/python bench/bench_match.py --queries 2000 --regex-mb 2

The queries are what an agency watching for many clients writes: people with aliases
("Marie Dupont" OR "Mme Dupont"), brands that are common words with NOT parts and case:,
products with prefixes, and NEAR rules. Most names are made up, a few hundred appear in the
text. Figures are MB/s of normalised text on one core, in CPU time of this process (other work on a
shared machine does not count) and in elapsed (wall) time, each with ratios to, in the same
process:
  - the raw automaton: pyahocorasick over the same terms, iterating its hits and nothing else;
  - a regex alternation of the same terms (\\b(?:t1|t2|…)\\b), the naive one-pass alternative,
    timed on the first --regex-mb megabytes because it is that slow.
The matcher is timed twice: deciding which queries match (Matcher.match(); a match's spans and
explanation are worked out when first read), then deciding and reading every match's spans and
explanation, as the pipeline does. Target: 20 MB/s for the matcher over normalised text.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import django  # noqa: E402
import newstext  # noqa: E402

SYLLABLES = "ba be bi bo bu da de di do du fa fe fi la le li lo lu ma me mi mo mu na ne ni no nu "
SYLLABLES += "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu ker gal mor bran "
SYLLABLES_LIST = SYLLABLES.split()


def made_up_name(rng: random.Random, syllables: int) -> str:
    """A name that is not in the text: Bomira, Kergalu…"""
    return "".join(rng.choice(SYLLABLES_LIST) for _ in range(syllables)).capitalize()


def watch_queries(count: int, known_share: float = 0.002, seed: int = 7) -> dict[str, str]:
    """count query expressions: people, brands, products and NEAR rules."""
    rng = random.Random(seed)
    queries: dict[str, str] = {}
    real_people = [f"{f} {last}" for f in newstext.FIRST for last in newstext.LAST]
    while len(queries) < count:
        kind = rng.random()
        known = rng.random() < known_share  # about people and brands that are in the text
        if kind < 0.5:
            if known:
                first, last = rng.choice(real_people).split(" ", 1)
            else:
                first, last = made_up_name(rng, 2), made_up_name(rng, 3)
            expression = f'"{first} {last}" OR "M. {last}" OR "Mme {last}" OR "{first[0]}. {last}"'
        elif kind < 0.75:
            brand = rng.choice(newstext.BRANDS) if known else made_up_name(rng, 3)
            noise = rng.sample(newstext.FRENCH[40:], 2)
            expression = f'case:"{brand}" NOT ({noise[0]} OR {noise[1]}*)'
        elif kind < 0.9:
            product = made_up_name(rng, 2)
            expression = (
                f'"{product} {rng.choice(["Pro", "Max", "One"])}" OR {product.lower()}phone*'
            )
        else:
            brand = rng.choice(newstext.BRANDS) if known else made_up_name(rng, 3)
            expression = f"{brand} NEAR/5 ({rng.choice(newstext.FRENCH[60:])} OR réseau*)"
        queries[f"q{len(queries)}"] = expression
    return queries


def main() -> None:
    """Generate, compile, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--regex-mb", type=float, default=0.2, help="text for the regex baseline")
    parser.add_argument(
        "--known",
        type=float,
        default=0.002,
        help="share of queries about names that are in the text (default 0.002: 20 of 10,000)",
    )
    newstext.add_common_arguments(parser)
    args = parser.parse_args()
    newstext.use_clock(args)
    load_before = newstext.load()

    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressdesk.settings")
    django.setup()
    import ahocorasick

    from pressdesk.monitoring.query import Document, Matcher, Prepared, parse

    started = newstext.clock()
    queries = {
        name: parse(expression)
        for name, expression in watch_queries(args.queries, args.known).items()
    }
    matcher = Matcher(queries)
    compile_seconds = newstext.clock() - started

    articles = newstext.articles(int(args.mb * 1e6))
    original_size = sum(len(text.encode()) for text in articles)
    prepared: list[Prepared] = []
    normalise_times = newstext.timed(
        lambda: prepared.extend(Prepared.of(Document(text)) for text in articles)
    )
    forms = [p.forms["text"][1] for p in prepared]
    size = sum(len(form.encode()) for form in forms)

    # Raw automaton: the same keys, hits iterated and dropped.
    raw = ahocorasick.Automaton()
    for index, pattern in enumerate(matcher.patterns):
        raw.add_word(pattern.key, index)
    raw.make_automaton()
    raw_hits = [0]

    def scan_raw() -> None:
        for form in forms:
            for _hit in raw.iter(f" {form} "):
                raw_hits[0] += 1

    raw_times = newstext.timed(scan_raw)

    matched = [0]

    def decide() -> None:
        # Which queries match each article; where and why are left unread (worked out later).
        matched[0] = sum(len(matcher.match(p)) for p in prepared)

    decide_times = newstext.timed(decide)

    def read(matches: list) -> None:
        for found in matches:
            found.spans, found.explanation  # noqa: B018 -- reading them is what is timed

    def decide_and_read() -> None:
        for p in prepared:
            read(matcher.match(p))

    read_times = newstext.timed(decide_and_read)

    part = articles[: max(1, len(articles) // 5)]
    part_size = sum(len(t.encode()) for t in part)

    def end_to_end() -> None:
        for text in part:
            read(matcher.match(Document(text)))

    end_times = newstext.timed(end_to_end)

    words = sorted({p.key.strip() for p in matcher.patterns}, key=len, reverse=True)
    alternation = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")")
    regex_forms, regex_size = [], 0
    for form in forms:
        if regex_size >= args.regex_mb * 1e6:
            break
        regex_forms.append(form)
        regex_size += len(form.encode())

    def scan_regex() -> None:
        for form in regex_forms:
            for _found in alternation.finditer(form):
                pass

    regex_times = newstext.timed(scan_regex)

    def rates(amount: int, times: tuple[float, float]) -> dict[str, float]:
        return {"cpu": amount / times[0] / 1e6, "wall": amount / times[1] / 1e6}

    figures = {
        "queries": len(queries),
        "terms": len(matcher.patterns),
        "compile_s": compile_seconds,
        "text_mb": size / 1e6,
        "articles": len(articles),
        "raw_hits": raw_hits[0],
        "matches": matched[0],
        "load_before": load_before,
        "load_after": newstext.load(),
        "mb_s": {
            "matcher (which queries match)": rates(size, decide_times),
            "matcher, spans and explanation read": rates(size, read_times),
            "raw pyahocorasick scan": rates(size, raw_times),
            "regex alternation": rates(regex_size, regex_times),
            "end to end (normalise, match, read)": rates(part_size, end_times),
            "normalisation (Prepared.of)": rates(original_size, normalise_times),
        },
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{len(queries)} queries, {len(matcher.patterns)} distinct terms, compiled in "
        f"{compile_seconds:.1f} s; {size / 1e6:.1f} MB of normalised text in {len(articles)} "
        f"articles; {raw_hits[0]} term hits, {matched[0]} matches "
        f"({matched[0] / len(articles):.1f} an article); load {load_before} before, "
        f"{figures['load_after']} after"
    )
    raw_rate = figures["mb_s"]["raw pyahocorasick scan"]
    regex_rate = figures["mb_s"]["regex alternation"]
    print(f"  {'MB/s':40} {'CPU':>7} {'wall':>7}  ratio to raw scan, to regex (CPU; wall)")
    for name, value in figures["mb_s"].items():
        line = f"  {name:40} {value['cpu']:7.2f} {value['wall']:7.2f}"
        if name.startswith("matcher"):
            line += (
                f"  ×{value['cpu'] / raw_rate['cpu']:.2f}, ×{value['cpu'] / regex_rate['cpu']:.0f}"
                f"; ×{value['wall'] / raw_rate['wall']:.2f}, "
                f"×{value['wall'] / regex_rate['wall']:.0f}"
            )
        print(line)
    print(
        f"  (regex over {regex_size / 1e6:.2f} MB; end to end over {part_size / 1e6:.1f} MB of "
        "original text; normalisation over the original text)"
    )


if __name__ == "__main__":
    main()
