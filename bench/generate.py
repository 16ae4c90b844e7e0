"""A deterministic generator of a realistic French and English press file, for the benchmarks.

`generate(contacts, outlets, seed)` builds the same file every time for the same arguments:
journalists with accented French names (Hélène Lefèvre, François Bénard, rarely a ligature as in
Cœurdevey), English names, outlets of every media type (PQR, national dailies, radio, TV, web,
podcasts, newsletters, trade press), beats, regions, phones in the formats people type them, and
emails with the duplicates a real file has: the same person entered twice with a differently cased
address, and desk addresses (redaction@…) shared by several people.

Two outputs:
- `write_csv()`: the file as Excel saves it, `;`-separated, with French headers
  (Prénom;Nom;Média;Fonction;Email;Téléphone;Rubrique;Région), UTF-8 with BOM or cp1252;
- `load()`: straight into the database with bulk inserts, then the search text and the search
  index computed through the app's own `services.refresh_search`, in batches.

Run it alone to write a CSV: `python bench/generate.py --contacts 100000 --output file.csv`.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pressdesk.accounts.models import Organisation

CSV_HEADERS = ["Prénom", "Nom", "Média", "Fonction", "Email", "Téléphone", "Rubrique", "Région"]

FRENCH_FIRST = [
    "Marie",
    "Jean",
    "Pierre",
    "Sophie",
    "Camille",
    "Julien",
    "Nicolas",
    "Thomas",
    "Laura",
    "Manon",
    "Antoine",
    "Paul",
    "Louise",
    "Juliette",
    "Claire",
    "Anne",
    "Isabelle",
    "Nathalie",
    "Sandrine",
    "Philippe",
    "Alain",
    "Michel",
    "Christophe",
    "Guillaume",
    "Mathieu",
    "Maxime",
    "Lucas",
    "Hugo",
    "Arthur",
    "Jules",
    "Emma",
    "Jade",
    "Alice",
    "Lina",
    "Rose",
    "Ambre",
    "Caroline",
    "Laurent",
    "Hélène",
    "François",
    "Chloé",
    "Léa",
    "Zoé",
    "Noémie",
    "Anaïs",
    "Océane",
    "Maëlle",
    "Jérôme",
    "Stéphane",
    "Sébastien",
    "Frédéric",
    "Agnès",
    "Bérénice",
    "Cécile",
    "Clémence",
    "Élodie",
    "Émilie",
    "Étienne",
    "Gaëlle",
    "Gaël",
    "Joël",
    "Loïc",
    "Mélanie",
    "Amélie",
    "Aurélie",
    "Benoît",
    "Raphaël",
    "Thérèse",
    "Inès",
    "Hervé",
    "André",
    "René",
    "Valérie",
    "Véronique",
    "Noël",
    "Mickaël",
    "Solène",
    "Ségolène",
    "Marie-Hélène",
    "Jean-François",
    "Pierre-Étienne",
    "Anne-Sophie",
    "Léo",
    "Timothée",
    "Adèle",
    "Éloïse",
    "Héloïse",
    "Maïwenn",
    "Yannick",
    "Gwénaëlle",
    "Aïcha",
    "Karim",
    "Mehdi",
    "Yasmine",
    "Sarah",
]
ENGLISH_FIRST = [
    "James",
    "Oliver",
    "Emily",
    "Charlotte",
    "Sarah",
    "David",
    "Michael",
    "Jessica",
    "Hannah",
    "William",
    "George",
    "Harry",
    "Amelia",
    "Olivia",
    "Grace",
    "Daniel",
    "Matthew",
    "Rachel",
    "Rebecca",
    "Zoë",
    "Siobhán",
    "Seán",
    "Niamh",
    "Eoin",
    "Chloe",
    "Helen",
    "Frances",
    "Andrew",
    "Catherine",
    "Elizabeth",
    "Jack",
    "Thomas",
    "Lucy",
    "Sophie",
    "Ben",
    "Sam",
    "Kate",
    "Anna",
]
FRENCH_LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Légaré",
    "Bénard",
    "Chénier",
    "Lemaître",
    "Lécuyer",
    "Hébert",
    "Béranger",
    "Périer",
    "Delacroix",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
    "Leclercq",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Rodriguez",
    "Hamel",
    "Kerouédan",
    "Castañeda",
    "Müller",
    "N'Diaye",
    "D'Almeida",
    "Benaïssa",
    "Bouché",
    "Prévost",
    "Lévêque",
    "Févrié",
    "Crépin",
    "Chrétien",
    "Thébault",
    "Séguin",
    "Pétain",
    "Bélanger",
    "Fréchette",
]
FRENCH_LAST_COMPOUND = ["Le Goff", "Le Gall", "Le Bihan", "Da Silva", "de La Fontaine", "Du Pré"]
LIGATURE_LAST = ["Cœurdevey", "Lœuillet", "Œhlmann", "Sœurdevin", "Bœuf"]
ENGLISH_LAST = [
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Walker",
    "Wright",
    "Robinson",
    "Thompson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Martin",
    "Jackson",
    "Clarke",
    "O'Brien",
    "O'Connor",
    "McDonald",
    "MacLeod",
    "Murphy",
    "Kelly",
    "Campbell",
    "Stewart",
    "Anderson",
    "Scott",
    "Baker",
]

TOWNS = [
    "Paris",
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nice",
    "Nantes",
    "Montpellier",
    "Strasbourg",
    "Bordeaux",
    "Lille",
    "Rennes",
    "Reims",
    "Saint-Étienne",
    "Le Havre",
    "Toulon",
    "Grenoble",
    "Dijon",
    "Angers",
    "Nîmes",
    "Villeurbanne",
    "Clermont-Ferrand",
    "Le Mans",
    "Aix-en-Provence",
    "Brest",
    "Tours",
    "Amiens",
    "Limoges",
    "Annecy",
    "Perpignan",
    "Besançon",
    "Metz",
    "Orléans",
    "Rouen",
    "Mulhouse",
    "Caen",
    "Nancy",
    "Argenteuil",
    "Montreuil",
    "Roubaix",
    "Tourcoing",
    "Avignon",
    "Poitiers",
    "Pau",
    "La Rochelle",
    "Calais",
    "Cannes",
    "Antibes",
    "Béziers",
    "Colmar",
    "Bourges",
    "Quimper",
    "Valence",
    "Troyes",
    "Chambéry",
    "Niort",
    "Lorient",
    "Vannes",
    "Angoulême",
    "Évreux",
    "Châteauroux",
    "Chalon-sur-Saône",
    "Périgueux",
    "Saint-Brieuc",
    "Bayonne",
    "Arles",
    "Sète",
    "Alès",
    "Saint-Malo",
    "Épinal",
    "Mâcon",
    "Auxerre",
    "Nevers",
    "Saint-Nazaire",
    "Cholet",
    "Laval",
    "Vienne",
    "Ajaccio",
    "Bastia",
    "Fréjus",
    "Montélimar",
    "Gap",
    "Millau",
    "Rodez",
    "Albi",
]
ENGLISH_TOWNS = [
    "London",
    "Manchester",
    "Leeds",
    "Bristol",
    "Glasgow",
    "Edinburgh",
    "Dublin",
    "Cardiff",
]

# (region, country, weight): Île-de-France dominates a French press file.
REGIONS = [
    ("Île-de-France", "FR", 34),
    ("Auvergne-Rhône-Alpes", "FR", 9),
    ("Nouvelle-Aquitaine", "FR", 7),
    ("Occitanie", "FR", 7),
    ("Hauts-de-France", "FR", 5),
    ("Grand Est", "FR", 5),
    ("Provence-Alpes-Côte d'Azur", "FR", 6),
    ("Bretagne", "FR", 5),
    ("Normandie", "FR", 3),
    ("Pays de la Loire", "FR", 4),
    ("Bourgogne-Franche-Comté", "FR", 3),
    ("Centre-Val de Loire", "FR", 2),
    ("Corse", "FR", 1),
    ("Bruxelles", "BE", 2),
    ("Genève", "CH", 1),
    ("Québec", "CA", 1),
    ("London", "GB", 4),
    ("Scotland", "GB", 1),
]

# (beat, weight): économie is the widest beat, so économie × Île-de-France is a ~10% segment.
BEATS = [
    ("économie", 36),
    ("énergie", 10),
    ("climat", 10),
    ("environnement", 8),
    ("agriculture", 6),
    ("santé", 9),
    ("numérique", 9),
    ("politique", 12),
    ("société", 10),
    ("culture", 8),
    ("sport", 7),
    ("éducation", 5),
    ("transports", 5),
    ("justice", 4),
    ("international", 6),
    ("sciences", 4),
    ("finance", 5),
    ("immobilier", 3),
    ("industrie", 4),
    ("alimentation", 3),
    ("tourisme", 3),
    ("médias", 3),
    ("défense", 2),
    ("emploi", 4),
    ("technology", 3),
]

JOB_TITLES_FR = [
    "Journaliste",
    "Journaliste",
    "Journaliste",
    "Rédacteur en chef",
    "Rédactrice en chef adjointe",
    "Chef de rubrique",
    "Cheffe d'édition",
    "Reporter",
    "Grand reporter",
    "Pigiste",
    "Présentateur",
    "Chroniqueuse",
    "Secrétaire de rédaction",
    "Correspondant régional",
    "Journaliste reporter d'images",
    "Productrice",
    "Directeur de la rédaction",
]
JOB_TITLES_EN = ["Reporter", "Senior reporter", "Editor", "Correspondent", "Producer", "Host"]

# (media type, weight, name templates); {t} is a town, {b} a beat (capitalised), {n} a number.
OUTLET_KINDS: list[tuple[str, int, list[str]]] = [
    (
        "regional_daily",
        14,
        [
            "L'Écho de {t}",
            "Le Journal de {t}",
            "{t} Matin",
            "La Gazette de {t}",
            "Le Républicain de {t}",
            "Le Progrès de {t}",
            "L'Éveil de {t}",
        ],
    ),
    ("daily", 4, ["Le Quotidien {n}", "L'Express du Matin {n}", "La Tribune {n}", "Le Soir {n}"]),
    ("weekly", 10, ["L'Hebdo de {t}", "{t} Hebdo", "La Semaine de {t}", "L'Indépendant de {t}"]),
    ("magazine", 9, ["{b} Magazine", "{b} Mag {n}", "Les Cahiers {b}", "Revue {b} {n}"]),
    ("agency", 2, ["Agence {t} Presse", "Dépêches {b} {n}"]),
    ("tv", 6, ["France 3 {t}", "TV {t}", "{t} Télé", "Télé {b} {n}"]),
    ("radio", 10, ["Radio {t}", "Fréquence {t}", "Ici {t}", "Radio {b} {n}"]),
    ("web", 14, ["{t} Infos", "Actu {t}", "{b} Actu {n}", "Le Média {b} {n}", "{t}.info"]),
    ("podcast", 7, ["Podcast {b} {n}", "Les Voix de {t}", "Écoute {b} {n}"]),
    ("newsletter", 8, ["La Lettre {b} {n}", "Brief {b} {n}", "Le Courrier {b} {n}"]),
    ("blog", 4, ["Le Blog {b} {n}", "Carnets de {t}"]),
    ("trade", 12, ["{b} Pro {n}", "Le Moniteur {b} {n}", "Journal de l'{b} {n}", "{b} & Marchés"]),
]
ENGLISH_OUTLETS = ["The {t} Gazette", "{t} Evening News", "{b} Weekly {n}", "The {b} Brief {n}"]

FREEMAIL = ["gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "outlook.com"]


@dataclass(slots=True)
class OutletRow:
    """A generated outlet."""

    name: str
    media_type: str
    region: str
    country: str
    language: str
    domain: str


@dataclass(slots=True)
class ContactRow:
    """A generated contact, with its current outlet (an index into the outlets)."""

    first_name: str
    last_name: str
    outlet: int
    job_title: str
    emails: list[str]
    phones: list[str]
    beats: list[str]
    region: str
    country: str
    language: str
    past_outlet: int | None = None


@dataclass
class Dataset:
    """A generated press file."""

    outlets: list[OutletRow]
    contacts: list[ContactRow]
    seed: int
    stats: dict[str, int] = field(default_factory=dict)


def _ascii(text: str) -> str:
    """A name as it appears in an email address: folded, letters and dots only."""
    from pressdesk.lib.text import fold

    return re.sub(r"[^a-z0-9.]+", "", fold(text).replace(" ", "").replace("'", ""))


def _domain(name: str, country: str, used: set[str]) -> str:
    """An outlet's mail domain, unique in the file."""
    tld = {"FR": "fr", "BE": "be", "CH": "ch", "CA": "ca", "GB": "co.uk"}.get(country, "com")
    base = _ascii(name.replace(".", " ")) or "media"
    domain, n = f"{base}.{tld}", 2
    while domain in used:
        domain, n = f"{base}{n}.{tld}", n + 1
    used.add(domain)
    return domain


def _phone(rng: random.Random, country: str) -> str:
    """A phone number, in one of the many ways people write them."""
    if country == "GB":
        return rng.choice(["+44 20 7946 {:04d}", "020 7946 {:04d}", "+44 7700 90{:04d}"]).format(
            rng.randrange(10000)
        )
    if country == "BE":
        return f"+32 2 {rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    if country == "CH":
        return f"+41 22 {rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
    if country == "CA":
        return f"+1 514-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
    lead = rng.choice(["6", "7", "1", "2", "3", "4", "5", "9"])
    pairs = [f"{rng.randrange(100):02d}" for _ in range(4)]
    style = rng.randrange(7)
    if style == 0:
        return f"0{lead} " + " ".join(pairs)
    if style == 1:
        return f"0{lead}" + "".join(pairs)
    if style == 2:
        return f"+33 {lead} " + " ".join(pairs)
    if style == 3:
        return f"+33 (0){lead} " + " ".join(pairs)
    if style == 4:
        return f"0{lead}." + ".".join(pairs)
    if style == 5:
        return f"0033{lead}" + "".join(pairs)
    return f"0{lead}-" + "-".join(pairs)


def _weighted(items: list[tuple[Any, ...]]) -> tuple[list[Any], list[int]]:
    """Values and cumulative weights for random.choices, from (value, …, weight) tuples."""
    values = [item[0] if len(item) == 2 else item[:-1] for item in items]
    cumulative, total = [], 0
    for item in items:
        total += item[-1]
        cumulative.append(total)
    return values, cumulative


def generate(contacts: int = 100_000, outlets: int = 5_000, seed: int = 20261126) -> Dataset:
    """A press file of `contacts` people across `outlets` outlets; the same for the same seed."""
    rng = random.Random(seed)
    regions, region_weights = _weighted(REGIONS)
    beats, beat_weights = _weighted(BEATS)
    kinds = [(k, w) for k, w, _templates in OUTLET_KINDS]
    templates = {k: t for k, _w, t in OUTLET_KINDS}
    kind_values, kind_weights = _weighted(kinds)

    outlet_rows: list[OutletRow] = []
    names: set[str] = set()
    domains: set[str] = set()
    # A few real national outlets first: they carry the most contacts, as in real files.
    for name, kind in [
        ("Le Monde", "daily"),
        ("Libération", "daily"),
        ("Le Figaro", "daily"),
        ("Les Échos", "daily"),
        ("L'Équipe", "daily"),
        ("Le Parisien", "daily"),
        ("La Croix", "daily"),
        ("L'Humanité", "daily"),
        ("Ouest-France", "regional_daily"),
        ("Sud Ouest", "regional_daily"),
        ("La Dépêche du Midi", "regional_daily"),
        ("La Voix du Nord", "regional_daily"),
        ("Le Télégramme", "regional_daily"),
        ("France Inter", "radio"),
        ("France Info", "radio"),
        ("RTL", "radio"),
        ("Europe 1", "radio"),
        ("France Télévisions", "tv"),
        ("TF1", "tv"),
        ("BFM TV", "tv"),
        ("Arte", "tv"),
        ("Mediapart", "web"),
        ("Reporterre", "web"),
        ("Contexte", "web"),
        ("AFP", "agency"),
        ("Reuters", "agency"),
        ("The Guardian", "daily"),
        ("Financial Times", "daily"),
        ("BBC News", "tv"),
        ("Politico Europe", "newsletter"),
    ][:outlets]:
        country = "GB" if name in ("The Guardian", "Financial Times", "BBC News") else "FR"
        region = "London" if country == "GB" else "Île-de-France"
        lang = "en" if country == "GB" else "fr"
        names.add(name)
        outlet_rows.append(
            OutletRow(name, kind, region, country, lang, _domain(name, country, domains))
        )
    while len(outlet_rows) < outlets:
        region, country = rng.choices(regions, cum_weights=region_weights)[0]
        english = country == "GB"
        kind = rng.choices(kind_values, cum_weights=kind_weights)[0]
        template = rng.choice(ENGLISH_OUTLETS if english else templates[kind])
        town = rng.choice(ENGLISH_TOWNS if english else TOWNS)
        beat = rng.choices(beats, cum_weights=beat_weights)[0].capitalize()
        name = template.format(t=town, b=beat, n=rng.randrange(2, 100))
        if name in names:
            continue
        names.add(name)
        outlet_rows.append(
            OutletRow(
                name,
                kind,
                region,
                country,
                "en" if english else "fr",
                _domain(name, country, domains),
            )
        )

    # Contacts per outlet follow a long tail: the biggest outlet has ~1,400, blogs one or two.
    outlet_weights = [1.0 / (1 + i) ** 0.6 for i in range(len(outlet_rows))]
    cumulative_outlets, total = [], 0.0
    for w in outlet_weights:
        total += w
        cumulative_outlets.append(total)

    rows: list[ContactRow] = []
    stats = {"case_duplicates": 0, "shared_emails": 0, "ligatures": 0, "no_email": 0}
    for _ in range(contacts):
        # 3% of rows are the same person entered again, with the email in another case.
        if rows and rng.random() < 0.03:
            original = rows[rng.randrange(len(rows))]
            if original.emails:
                email = original.emails[0]
                variant = email.upper() if rng.random() < 0.3 else email.title()
                rows.append(
                    ContactRow(
                        original.first_name,
                        original.last_name,
                        original.outlet,
                        original.job_title,
                        [variant],
                        list(original.phones[:1]),
                        list(original.beats),
                        original.region,
                        original.country,
                        original.language,
                    )
                )
                stats["case_duplicates"] += 1
                continue
        outlet_index = rng.choices(range(len(outlet_rows)), cum_weights=cumulative_outlets)[0]
        outlet = outlet_rows[outlet_index]
        english = outlet.language == "en" or rng.random() < 0.08
        if english:
            first, last = rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)
        else:
            first = rng.choice(FRENCH_FIRST)
            roll = rng.random()
            if roll < 0.005:
                last = rng.choice(LIGATURE_LAST)
                stats["ligatures"] += 1
            elif roll < 0.04:
                last = rng.choice(FRENCH_LAST_COMPOUND)
            else:
                last = rng.choice(FRENCH_LAST)
        if outlet.region != "Île-de-France" or rng.random() < 0.7:
            region, country = outlet.region, outlet.country
        else:
            region, country = rng.choices(regions, cum_weights=region_weights)[0]
        job = rng.choice(JOB_TITLES_EN if english else JOB_TITLES_FR)
        if rng.random() < 0.001:
            job = job + "\n(édition du week-end)"  # a quoted multi-line field, as Excel writes it
        emails: list[str] = []
        style = rng.random()
        f, la = _ascii(first), _ascii(last)
        if style < 0.02:
            stats["no_email"] += 1
        elif style < 0.05:
            emails.append(f"redaction@{outlet.domain}")  # a desk address shared by colleagues
            stats["shared_emails"] += 1
        elif style < 0.15:
            emails.append(f"{la}.{f}{rng.randrange(10, 99)}@{rng.choice(FREEMAIL)}")
        elif style < 0.30:
            emails.append(f"{f[:1]}{la}@{outlet.domain}")
        else:
            emails.append(f"{f}.{la}@{outlet.domain}")
        if emails and rng.random() < 0.25:
            emails[0] = emails[0].title()  # Outlook style: Marie.Dupont@Lemonde.Fr
        if emails and rng.random() < 0.1:
            emails.append(f"{f}.{la}{rng.randrange(10, 99)}@{rng.choice(FREEMAIL)}")
        phones = [_phone(rng, country)] if rng.random() < 0.8 else []
        if phones and rng.random() < 0.15:
            phones.append(_phone(rng, country))
        n_beats = rng.choices([1, 2, 3], weights=[5, 4, 1])[0]
        contact_beats = list(dict.fromkeys(rng.choices(beats, cum_weights=beat_weights, k=n_beats)))
        past = rng.randrange(len(outlet_rows)) if rng.random() < 0.1 else None
        rows.append(
            ContactRow(
                first,
                last,
                outlet_index,
                job,
                emails,
                phones,
                contact_beats,
                region,
                country,
                outlet.language,
                past,
            )
        )
    return Dataset(outlet_rows, rows, seed, stats)


def csv_rows(dataset: Dataset) -> Iterator[list[str]]:
    """The rows of the Excel-style export: French headers first."""
    yield CSV_HEADERS
    for c in dataset.contacts:
        yield [
            c.first_name,
            c.last_name,
            dataset.outlets[c.outlet].name,
            c.job_title,
            c.emails[0] if c.emails else "",
            c.phones[0] if c.phones else "",
            ", ".join(c.beats),
            c.region,
        ]


def write_csv(dataset: Dataset, path: Path, encoding: str = "utf-8-sig") -> Path:
    """Write the file as Excel saves "CSV (séparateur : point-virgule)": `;`, CRLF, BOM/cp1252."""
    with path.open("w", encoding=encoding, errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerows(csv_rows(dataset))
    return path


class _Related:
    """Stands for a related manager: `.all()` gives the list."""

    def __init__(self, items: list[Any]) -> None:
        self.items = items

    def all(self) -> list[Any]:
        return self.items


def _derived_fields(row: ContactRow, outlet_name: str, beat_names: list[str]) -> dict[str, Any]:
    """The fields the app derives for a contact, computed by the app's own functions.

    `services.search_text_for` reads a contact and its related rows; it is given a stand-in with
    the same attributes, so the text is the app's, without a query per contact.
    """
    from types import SimpleNamespace

    from pressdesk.contacts import services
    from pressdesk.contacts.models.contacts import sort_key

    current = SimpleNamespace(
        outlet=SimpleNamespace(name=outlet_name),
        title=row.job_title,
        end_date=None,
        start_date=None,
        pk=0,
    )
    stand_in = SimpleNamespace(
        first_name=row.first_name,
        last_name=row.last_name,
        job_title=row.job_title,
        region=row.region,
        social={},
        emails=_Related([SimpleNamespace(email=e) for e in row.emails]),
        positions=_Related([current]),
        beats=_Related([SimpleNamespace(name=b) for b in beat_names]),
        tags=_Related([]),
        notes=_Related([]),
    )
    return {
        "search_text": services.search_text_for(stand_in),  # type: ignore[arg-type]
        "sort_name": sort_key(row.last_name, row.first_name),
        "sort_outlet": sort_key(outlet_name),
    }


def load(
    dataset: Dataset,
    org: Organisation,
    *,
    batch_size: int = 2_000,
    progress: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Insert the dataset into the database for `org`, fast; returns counts and timings.

    Outlets, beats, contacts, emails, phones, positions and beat links go in with bulk_create,
    with the fields the app derives (search text, sort keys, opt-out hashes of addresses)
    computed by the app's own functions; each batch is then handed to `search_index.index()`.
    At the end a sample of contacts goes through `services.refresh_search`, the app's own path,
    and must come out unchanged: if it does not, every contact goes through it (slower, right).
    """
    from django.db import transaction

    from pressdesk.contacts import facets, search_index, services
    from pressdesk.contacts.models import (
        Beat,
        Contact,
        ContactEmail,
        ContactPhone,
        Outlet,
        Position,
    )
    from pressdesk.contacts.models.optout import address_hash
    from pressdesk.lib.text import normalise, normalise_email

    started = time.perf_counter()
    outlets = Outlet.objects.bulk_create(
        [
            Outlet(
                org=org,
                name=o.name,
                name_normalised=normalise(o.name)[:200],
                media_type=o.media_type,
                languages=[o.language],
                country=o.country,
                region=o.region,
                website=f"https://www.{o.domain}/",
            )
            for o in dataset.outlets
        ],
        batch_size=batch_size,
    )
    beat_names = sorted({b for c in dataset.contacts for b in c.beats})
    beats = {
        b.name: b
        for b in Beat.objects.bulk_create(
            [Beat(org=org, name=n, name_normalised=normalise(n)) for n in beat_names]
        )
    }
    # Beats in the order the database gives them (Beat.Meta.ordering, the database's collation).
    beat_rank = {name: n for n, name in enumerate(b.name for b in Beat.objects.filter(org=org))}
    beat_link = Contact.beats.through
    phone_cache: dict[tuple[str, str], str] = {}
    inserted = 0
    insert_seconds = 0.0
    index_seconds = 0.0
    for start in range(0, len(dataset.contacts), batch_size):
        chunk = dataset.contacts[start : start + batch_size]
        t0 = time.perf_counter()
        with transaction.atomic():
            contacts = Contact.objects.bulk_create(
                [
                    Contact(
                        org=org,
                        first_name=c.first_name,
                        last_name=c.last_name,
                        job_title=c.job_title[:200],
                        region=c.region,
                        country=c.country,
                        languages=[c.language],
                        source_kind="import",
                        source_label="bench/generate.py",
                        **_derived_fields(
                            c, dataset.outlets[c.outlet].name, sorted(c.beats, key=beat_rank.get)
                        ),
                    )
                    for c in chunk
                ]
            )
            emails, phones, positions, links = [], [], [], []
            for contact, row in zip(contacts, chunk, strict=True):
                for n, email in enumerate(row.emails):
                    emails.append(
                        ContactEmail(
                            contact=contact,
                            org=org,
                            email=email,
                            email_normalised=normalise_email(email),
                            address_hash=address_hash(email),
                            is_primary=n == 0,
                        )
                    )
                for raw in row.phones:
                    key = (raw, row.country)
                    if key not in phone_cache:
                        phone_cache[key] = services.normalise_phone(raw, row.country)
                    phones.append(ContactPhone(contact=contact, raw=raw, e164=phone_cache[key]))
                positions.append(
                    Position(contact=contact, outlet=outlets[row.outlet], title=row.job_title[:200])
                )
                if row.past_outlet is not None:
                    positions.append(
                        Position(
                            contact=contact,
                            outlet=outlets[row.past_outlet],
                            title="Journaliste",
                            end_date="2022-12-31",
                        )
                    )
                links += [beat_link(contact=contact, beat=beats[b]) for b in row.beats]
            ContactEmail.objects.bulk_create(emails)
            ContactPhone.objects.bulk_create(phones)
            Position.objects.bulk_create(positions)
            beat_link.objects.bulk_create(links)
        t1 = time.perf_counter()
        search_index.index(contacts)
        # The values the checkbox filters find contacts under, by the app's own function.
        with transaction.atomic():
            facets.refresh(c.pk for c in contacts)
        index_seconds += time.perf_counter() - t1
        insert_seconds += t1 - t0
        inserted += len(contacts)
        if progress and (inserted % 20_000 < batch_size or inserted == len(dataset.contacts)):
            progress(f"  loaded {inserted:,}/{len(dataset.contacts):,} contacts")
    t2 = time.perf_counter()
    if not _matches_app(org, sample=300):
        if progress:
            progress("  the app derives fields differently: refreshing every contact through it")
        ids = list(Contact.objects.filter(org=org).values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            with transaction.atomic():
                services.refresh_search(Contact(pk=pk) for pk in ids[start : start + batch_size])
    index_seconds += time.perf_counter() - t2
    return {
        "contacts": inserted,
        "outlets": len(outlets),
        "insert_seconds": insert_seconds,
        "search_index_seconds": index_seconds,
        "total_seconds": time.perf_counter() - started,
    }


def _matches_app(org: Organisation, sample: int) -> bool:
    """Whether `services.refresh_search` leaves a sample of loaded contacts unchanged."""
    from django.db import transaction

    from pressdesk.contacts import services
    from pressdesk.contacts.models import Contact, ContactFacet

    fields = ("pk", "search_text", "sort_name", "sort_outlet")
    ids = list(Contact.objects.filter(org=org).order_by("?").values_list("pk", flat=True)[:sample])

    def derived() -> tuple[set[Any], set[Any]]:
        stored = ContactFacet.objects.filter(contact_id__in=ids)
        return (
            set(Contact.objects.filter(pk__in=ids).values_list(*fields)),
            set(stored.values_list("contact_id", "kind", "value")),
        )

    before = derived()
    with transaction.atomic():
        services.refresh_search(Contact(pk=pk) for pk in ids)
    return before == derived()


def main(argv: list[str] | None = None) -> int:
    """Write a generated press file as an Excel-style CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--outlets", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--encoding", choices=["utf-8-sig", "cp1252"], default="utf-8-sig")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    dataset = generate(args.contacts, args.outlets, args.seed)
    write_csv(dataset, args.output, args.encoding)
    print(f"{args.output}: {len(dataset.contacts):,} contacts, {len(dataset.outlets):,} outlets")
    print(", ".join(f"{k} {v:,}" for k, v in dataset.stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
