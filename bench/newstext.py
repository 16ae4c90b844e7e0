"""News-like text for the monitoring benchmarks: French and English articles, generated.

The text has what matters to matching speed in real news: a Zipf-like word frequency, names of
people, brands and places (some hyphenated), French elisions with both apostrophes (' and ’),
accents and œ, guillemets and dashes, commas every dozen words and sentences of about twenty.
It is generated from a seed, so every run measures the same text.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

FRENCH = [
    "le",
    "la",
    "les",
    "de",
    "des",
    "du",
    "un",
    "une",
    "et",
    "à",
    "en",
    "est",
    "que",
    "qui",
    "dans",
    "pour",
    "pas",
    "sur",
    "au",
    "par",
    "plus",
    "avec",
    "ce",
    "il",
    "elle",
    "sont",
    "nous",
    "vous",
    "ont",
    "été",
    "être",
    "mais",
    "ou",
    "son",
    "sa",
    "ses",
    "leur",
    "leurs",
    "aussi",
    "très",
    "après",
    "avant",
    "entre",
    "depuis",
    "selon",
    "contre",
    "sans",
    "sous",
    "chez",
    "lors",
    "cette",
    "ces",
    "tout",
    "tous",
    "toute",
    "année",
    "années",
    "président",
    "ministre",
    "gouvernement",
    "société",
    "entreprise",
    "marché",
    "économie",
    "énergie",
    "électricité",
    "réseau",
    "région",
    "département",
    "ville",
    "maire",
    "conseil",
    "municipal",
    "élus",
    "élections",
    "réforme",
    "retraite",
    "salariés",
    "grève",
    "syndicat",
    "emploi",
    "chômage",
    "prix",
    "hausse",
    "baisse",
    "croissance",
    "investissement",
    "projet",
    "développement",
    "numérique",
    "télécoms",
    "opérateur",
    "abonnés",
    "clients",
    "offre",
    "fibre",
    "mobile",
    "santé",
    "hôpital",
    "médecins",
    "école",
    "élèves",
    "enseignants",
    "université",
    "étudiants",
    "recherche",
    "environnement",
    "climat",
    "écologie",
    "transition",
    "éolienne",
    "solaire",
    "nucléaire",
    "centrale",
    "sécurité",
    "police",
    "gendarmerie",
    "justice",
    "tribunal",
    "procès",
    "enquête",
    "victime",
    "témoin",
    "culture",
    "festival",
    "musée",
    "théâtre",
    "cinéma",
    "spectacle",
    "concert",
    "exposition",
    "œuvre",
    "cœur",
    "sœur",
    "sport",
    "football",
    "match",
    "équipe",
    "joueurs",
    "entraîneur",
    "saison",
    "championnat",
    "victoire",
    "défaite",
    "déclaré",
    "annoncé",
    "expliqué",
    "souligné",
    "précisé",
    "indiqué",
    "rappelé",
    "estimé",
    "affirmé",
    "jugé",
    "important",
    "nouveau",
    "nouvelle",
    "grand",
    "grande",
    "premier",
    "première",
    "dernier",
    "dernière",
    "français",
    "européen",
    "national",
    "régional",
    "local",
    "public",
    "publique",
    "social",
    "sociale",
    "général",
    "générale",
]
ENGLISH = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "was",
    "by",
    "at",
    "it",
    "from",
    "his",
    "her",
    "they",
    "be",
    "this",
    "have",
    "has",
    "had",
    "are",
    "were",
    "said",
    "will",
    "would",
    "could",
    "should",
    "about",
    "after",
    "before",
    "over",
    "new",
    "more",
    "company",
    "market",
    "government",
    "minister",
    "president",
    "city",
    "council",
    "election",
    "year",
    "years",
    "people",
    "energy",
    "power",
    "network",
    "customers",
    "offer",
    "growth",
    "profits",
    "shares",
    "investors",
    "bank",
    "report",
    "health",
    "hospital",
    "school",
    "students",
    "police",
    "court",
    "trial",
    "climate",
    "football",
    "team",
    "season",
]
ELIDING = [
    "orange",
    "entreprise",
    "énergie",
    "économie",
    "opérateur",
    "état",
    "assemblée",
    "union",
    "équipe",
    "hôpital",
    "école",
    "université",
    "enquête",
    "élection",
    "aéroport",
    "usine",
    "agence",
    "offre",
    "annonce",
]
FIRST = [
    "Marie",
    "Jean",
    "Pierre",
    "Sophie",
    "Luc",
    "Anne",
    "Claire",
    "Nicolas",
    "Isabelle",
    "François",
    "Hélène",
    "Éric",
]
FIRST += ["Jean-Luc", "Marie-Hélène", "Jean-Pierre", "Anne-Sophie"]
LAST = [
    "Dupont",
    "Martin",
    "Bernard",
    "Durand",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Roux",
]
LAST += ["Saint-Just", "Le Goff", "Lévêque", "Œillet"]
BRANDS = [
    "Orange",
    "Total",
    "Free",
    "Bouygues",
    "SFR",
    "Renault",
    "Airbus",
    "Danone",
    "L’Oréal",
    "Carrefour",
]
PLACES = ["Paris", "Lyon", "Rennes", "Saint-Étienne", "Aix-en-Provence", "Clermont-Ferrand"]
PUNCT = [", ", ", ", ". ", " : ", " ; ", " (", ") ", " « ", " » ", " — ", "… ", " ! ", " ? "]


def _zipf_words(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return rng.choices(vocabulary, weights=weights, k=count)


def article(rng: random.Random, words: int = 700) -> str:
    """One article of about this many words, mostly French, sometimes English."""
    english = rng.random() < 0.3
    base = _zipf_words(rng, ENGLISH if english else FRENCH, words)
    out: list[str] = []
    for index, word in enumerate(base):
        roll = rng.random()
        if roll < 0.03:
            word = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        elif roll < 0.045:
            word = rng.choice(BRANDS)
        elif roll < 0.055:
            word = rng.choice(PLACES)
        elif not english and roll < 0.1:
            apostrophe = rng.choice("'’")
            word = f"{rng.choice(['l', 'd', 'qu', 'l', 'd', 'n', 's', 'jusqu'])}{apostrophe}"
            word += rng.choice(ELIDING)
        if index and rng.random() < 0.1:
            out.append(rng.choice(PUNCT))
        elif index:
            out.append(" ")
        out.append(word.capitalize() if index == 0 else word)
    return "".join(out) + "."


def articles(total_bytes: int, seed: int = 10) -> list[str]:
    """Articles adding up to about this many bytes of UTF-8."""
    rng = random.Random(seed)
    found: list[str] = []
    size = 0
    while size < total_bytes:
        text = article(rng, rng.randint(300, 1200))
        found.append(text)
        size += len(text.encode())
    return found


# --- The clock both monitoring benchmarks use ----------------------------------------------

CLOCKS = {"now": time.process_time}


def clock() -> float:
    """The clock chosen with --clock (CPU time of this process unless told otherwise)."""
    return CLOCKS["now"]()


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """--mb, --clock and --json, which both monitoring benchmarks take."""
    parser.add_argument("--mb", type=float, default=50.0, help="megabytes of text (default 50)")
    parser.add_argument(
        "--clock",
        choices=["cpu", "wall"],
        default="cpu",
        help="cpu (default): this process's CPU time, what one core does for it whatever the "
        "machine's load; wall: elapsed time",
    )
    parser.add_argument("--json", action="store_true")


def use_clock(args: argparse.Namespace) -> None:
    """Time with the clock the arguments chose."""
    CLOCKS["now"] = time.process_time if args.clock == "cpu" else time.perf_counter


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds of this process and elapsed seconds of one call, measured together."""
    cpu, wall = time.process_time(), time.perf_counter()
    function()
    return time.process_time() - cpu, time.perf_counter() - wall


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), for the record of a run."""
    try:
        with open("/proc/loadavg", encoding="ascii") as file:
            return " ".join(file.read().split()[:3])
    except OSError:
        return "unknown"
