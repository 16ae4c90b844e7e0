"""Reading the values people type in contact files: names, languages, countries, media types."""

from __future__ import annotations

import functools
import re

from django.utils import translation

from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib import locales
from pressdesk.lib.text import fold

# Particles that belong to the last name: "Charles de Gaulle", "Vincent van Gogh".
_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "la", "le", "van", "von", "der", "den", "da", "di", "del"}
)
_SPLIT = re.compile(r"\s*(?:[,;|\n]|:::)\s*")


def split_list(text: str) -> list[str]:
    """Split a cell holding several values ("énergie, climat; transports") into clean items."""
    return [item.strip() for item in _SPLIT.split(text) if item.strip()]


def split_full_name(full: str) -> tuple[str, str]:
    """(first, last) from a full name: "DUPONT Marie" and "Marie Dupont" both give ("Marie", …)."""
    tokens = full.split()
    if not tokens:
        return "", ""
    if len(tokens) == 1:
        return "", tokens[0]
    # French files often write the last name in capitals, before or after the first name.
    caps = [
        i
        for i, t in enumerate(tokens)
        if len(t) > 1 and t.isupper() and any(c.isalpha() for c in t)
    ]
    if caps and len(caps) < len(tokens):
        last = " ".join(tokens[i] for i in caps)
        first = " ".join(t for i, t in enumerate(tokens) if i not in caps)
        return first, last
    start = len(tokens) - 1
    while start > 1 and fold(tokens[start - 1]) in _PARTICLES:
        start -= 1
    return " ".join(tokens[:start]), " ".join(tokens[start:])


_LANGUAGES = {
    "fr": ("francais", "french", "fra", "fre"),
    "en": ("anglais", "english", "eng"),
    "de": ("allemand", "german", "deutsch", "deu", "ger"),
    "es": ("espagnol", "spanish", "espanol", "spa"),
    "it": ("italien", "italian", "italiano", "ita"),
    "nl": ("neerlandais", "dutch", "nederlands", "nld"),
    "pt": ("portugais", "portuguese", "portugues", "por"),
    "ar": ("arabe", "arabic", "ara"),
    "zh": ("chinois", "chinese", "zho"),
    "ja": ("japonais", "japanese", "jpn"),
    "ru": ("russe", "russian", "rus"),
    "pl": ("polonais", "polish", "pol"),
    "br": ("breton",),
    "ca": ("catalan",),
    "eu": ("basque",),
    "oc": ("occitan",),
    "co": ("corse", "corsican"),
}
LANGUAGE_CODES = {word: code for code, names in _LANGUAGES.items() for word in (code, *names)}


def language_code(text: str) -> str:
    """The ISO 639-1 code of a language name or code ("Français", "fr-FR", "EN"), or ""."""
    key = fold(text).strip()
    key = (
        re.split(r"[-_ ]", key, maxsplit=1)[0]
        if re.fullmatch(r"[a-z]{2,3}[-_][a-z]{2}", key)
        else key
    )
    return LANGUAGE_CODES.get(key, "") or locales.language_code(text)


_COUNTRIES = {
    "FR": ("france", "fra", "republique francaise"),
    "BE": ("belgique", "belgium", "bel", "belgie"),
    "CH": ("suisse", "switzerland", "che", "schweiz", "svizzera"),
    "LU": ("luxembourg", "lux"),
    "MC": ("monaco", "mco"),
    "CA": ("canada", "can", "quebec"),
    "US": (
        "etats-unis",
        "etats unis",
        "united states",
        "united states of america",
        "usa",
        "u.s.a.",
        "u.s.",
        "us",
    ),
    "GB": (
        "royaume-uni",
        "royaume uni",
        "united kingdom",
        "uk",
        "u.k.",
        "great britain",
        "angleterre",
        "england",
        "gbr",
    ),
    "IE": ("irlande", "ireland", "irl"),
    "DE": ("allemagne", "germany", "deutschland", "deu"),
    "ES": ("espagne", "spain", "espana", "esp"),
    "IT": ("italie", "italy", "italia", "ita"),
    "PT": ("portugal", "prt"),
    "NL": ("pays-bas", "pays bas", "netherlands", "the netherlands", "nederland", "nld", "holland"),
    "AT": ("autriche", "austria", "osterreich", "aut"),
    "DK": ("danemark", "denmark", "dnk"),
    "SE": ("suede", "sweden", "swe"),
    "NO": ("norvege", "norway", "nor"),
    "FI": ("finlande", "finland", "fin"),
    "PL": ("pologne", "poland", "pol"),
    "GR": ("grece", "greece", "grc"),
    "CZ": ("republique tcheque", "tchequie", "czech republic", "czechia", "cze"),
    "RO": ("roumanie", "romania", "rou"),
    "MA": ("maroc", "morocco", "mar"),
    "DZ": ("algerie", "algeria", "dza"),
    "TN": ("tunisie", "tunisia", "tun"),
    "SN": ("senegal", "sen"),
    "CI": ("cote d'ivoire", "cote divoire", "ivory coast", "civ"),
    "CM": ("cameroun", "cameroon", "cmr"),
    "JP": ("japon", "japan", "jpn"),
    "CN": ("chine", "china", "chn"),
    "IN": ("inde", "india", "ind"),
    "BR": ("bresil", "brazil", "brasil", "bra"),
    "MX": ("mexique", "mexico", "mex"),
    "AU": ("australie", "australia", "aus"),
    "LB": ("liban", "lebanon", "lbn"),
    "IL": ("israel", "isr"),
    "AE": ("emirats arabes unis", "united arab emirates", "uae", "are"),
}
COUNTRY_CODES = {name: code for code, names in _COUNTRIES.items() for name in names}


def country_code(text: str) -> str:
    """The ISO 3166 alpha-2 code of a country name or code ("France", "fr", "USA"), or ""."""
    key = fold(text).strip().strip(".").strip()
    if len(key) == 2 and key.isalpha():
        return key.upper()
    return COUNTRY_CODES.get(key, COUNTRY_CODES.get(key + ".", "")) or locales.country_code(text)


_MEDIA_TYPES = {
    MediaType.DAILY: (
        "quotidien",
        "quotidien national",
        "pqn",
        "daily",
        "newspaper",
        "journal",
        "presse quotidienne",
    ),
    MediaType.REGIONAL_DAILY: (
        "pqr",
        "quotidien regional",
        "presse quotidienne regionale",
        "regional daily",
        "regional",
    ),
    MediaType.WEEKLY: ("hebdomadaire", "hebdo", "weekly", "phr", "presse hebdomadaire regionale"),
    MediaType.MAGAZINE: (
        "magazine",
        "mag",
        "mensuel",
        "monthly",
        "periodique",
        "periodical",
        "revue",
    ),
    MediaType.AGENCY: ("agence", "agence de presse", "agency", "news agency", "wire", "newswire"),
    MediaType.TV: ("tv", "television", "tele", "broadcast tv"),
    MediaType.RADIO: ("radio",),
    MediaType.WEB: (
        "web",
        "site",
        "site web",
        "website",
        "online",
        "en ligne",
        "pure player",
        "internet",
        "digital",
    ),
    MediaType.PODCAST: ("podcast",),
    MediaType.NEWSLETTER: ("newsletter", "lettre", "lettre d'information", "infolettre"),
    MediaType.BLOG: ("blog", "blogue"),
    MediaType.TRADE: (
        "presse professionnelle",
        "presse pro",
        "trade",
        "trade press",
        "b2b",
        "specialisee",
        "presse specialisee",
    ),
}
MEDIA_TYPES = {
    word: str(value) for value, words in _MEDIA_TYPES.items() for word in (str(value), *words)
}


def media_type(text: str) -> str:
    """The MediaType for what a file calls the kind of outlet ("PQR", "Hebdo", "TV"), or ""."""
    key = fold(text).strip()
    return MEDIA_TYPES.get(key) or _media_labels().get(key, "")


@functools.cache
def _media_labels() -> dict[str, str]:
    """Our own labels, in both languages, as our exports write them."""
    labels = {}
    for language in ("en", "fr"):
        with translation.override(language):
            labels.update({fold(str(label)): str(value) for value, label in MediaType.choices})
    return labels


def social_handle(network: str, text: str) -> str:
    """A social handle as stored: "@name" for X, the profile path or URL for the others."""
    value = text.strip()
    if network == "x":
        match = re.search(r"(?:twitter\.com|x\.com)/@?([A-Za-z0-9_]{1,15})", value)
        if match:
            return "@" + match.group(1)
        handle = value.lstrip("@")
        if re.fullmatch(r"[A-Za-z0-9_]{1,15}", handle):
            return "@" + handle
    return value
