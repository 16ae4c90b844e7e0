"""Recognising the columns of contact files: French and English, Google, Outlook, vendors."""

from __future__ import annotations

import hashlib
import json
import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pressdesk.lib.text import fold

IGNORE = "ignore"

# The fields a column can feed, in the order the mapping step offers them.
FIELDS: dict[str, str | Promise] = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "full_name": _("Full name (split into first and last)"),
    "email": _("Email"),
    "phone": _("Phone"),
    "mobile": _("Mobile phone"),
    "outlet": _("Outlet"),
    "media_type": _("Media type"),
    "title": _("Job title"),
    "beats": _("Beats"),
    "tags": _("Tags"),
    "languages": _("Languages"),
    "country": _("Country"),
    "region": _("Region"),
    "city": _("City"),
    "x": _("X / Twitter"),
    "linkedin": _("LinkedIn"),
    "mastodon": _("Mastodon"),
    "bluesky": _("Bluesky"),
    "notes": _("Notes"),
    IGNORE: _("Do not import"),
}


def header_key(header: str) -> str:
    """The comparable form of a header: accents, case, spaces and punctuation ignored."""
    return re.sub(r"[^a-z0-9]", "", fold(header))


def _keys(text: str) -> list[str]:
    return [header_key(h) for h in text.split(" | ")]


# Headers as files write them, separated by " | "; matching ignores accents, case and spacing.
_SYNONYMS: dict[str, list[str]] = {
    "first_name": _keys(
        "Prénom | First Name | Firstname | Given Name | Forename | Contact First Name | "
        "Prenom contact"
    ),
    "last_name": _keys(
        "Nom de famille | Last Name | Lastname | Surname | Family Name | Contact Last Name | "
        "Nom contact"
    ),
    "full_name": _keys(
        "FN | Nom complet | Prénom Nom | Prénom et nom | Nom et prénom | Name | Full Name | "
        "Contact Name | Contact | Journaliste | Journalist | Display Name | Journalist Name | "
        "Identité"
    ),
    "email": _keys(
        "Email | E-mail | Courriel | Adresse électronique | Adresse courriel | Courriel pro | "
        "Mail | Adresse e-mail | Adresse email | Adresse mail | "
        "Mél | E-mail Address | Email Address | E-mail 2 Address | E-mail 3 Address | Email 2 | "
        "Email 3 | Email pro | Email professionnel | Email perso | Work Email | Primary Email | "
        "Contact Email | Courriel professionnel"
    ),
    "phone": _keys(
        "Téléphone | Tél | Tel | Téléphone fixe | Téléphone bureau | Téléphone pro | "
        "Ligne directe | Standard | Phone | Telephone | Phone Number | Business Phone | "
        "Business Phone 2 | Home Phone | Home Phone 2 | Primary Phone | Other Phone | "
        "Company Main Phone | Work Phone | Direct Line | Contact Phone | Outlet Phone"
    ),
    "mobile": _keys(
        "Portable | Mobile | Téléphone portable | Tél portable | Tél mobile | "
        "Téléphone mobile | GSM | Cellulaire | Mobile Phone | Cell | Cell Phone | Cellphone"
    ),
    "outlet": _keys(
        "ORG | Nom du média | Nom du support | Titre du journal | "
        "Média | Medias | Support | Rédaction | Titre de presse | Journal | Publication | "
        "Organe | Média / support | Société | Entreprise | Organisation | Organization | "
        "Company | Outlet | Outlet Name | Media Outlet | Media | Media Name | "
        "Organization Name | Publication Name | Employer"
    ),
    "media_type": _keys(
        "Type de média | Type de support | Type média | Catégorie de média | Media Type | "
        "Outlet Type | Type of media | Periodicite | Périodicité"
    ),
    "title": _keys(
        "Fonction | Poste | Titre | Intitulé de poste | Job Title | Position | Role | Rôle | "
        "Organization Title | Contact Title | Job | Métier | Profession"
    ),
    "beats": _keys(
        "Rubrique | Rubriques | Thématique | Thématiques | Thème | Thèmes | Sujets | Secteur | "
        "Secteurs | Domaines | Centres d'intérêt | Beat | Beats | Topics | Topic | Subjects | "
        "Subject | Coverage | Areas of interest"
    ),
    "tags": _keys(
        "Tags | Tag | Étiquettes | Étiquette | Mots-clés | Catégories | Catégorie | Groupes | "
        "Groupe | Labels | Categories | Keywords | Group Membership | Lists | Listes"
    ),
    "languages": _keys(
        "Langue | Langues | Language | Languages | Outlet Language | Langue du média"
    ),
    "country": _keys("Pays | Country | Country/Region | Outlet Country | Business Country/Region"),
    "region": _keys("Région | Département | State | State/Province | Province | Region | County"),
    "city": _keys("Ville | City | Commune | Locality | Outlet City | Business City"),
    "x": _keys(
        "Twitter | X | Twitter/X | X/Twitter | Compte Twitter | Twitter Handle | Twitter URL"
    ),
    "linkedin": _keys("LinkedIn | Linkedin URL | Profil LinkedIn | LinkedIn Profile"),
    "mastodon": _keys("Mastodon"),
    "bluesky": _keys("Bluesky | Bluesky Handle"),
    "notes": _keys(
        "Notes | Note | Commentaires | Commentaire | Remarques | Remarque | Observations | "
        "Comments | Comment | Bio | Biography | Description"
    ),
}

# Columns that Google, Outlook, vendors and our own export carry, and that the press file does not
# keep (addresses, birthdays, phonetic names…): recognised, so they do not trigger the mapping
# step, and listed as "not imported" in the summary.
_KNOWN_IGNORED = _keys(
    "Line | Ligne | Field | Champ | Reason | Raison | Motif | "
    "Civilité | Title | Middle Name | Suffix | Nickname | Initials | File As | Yomi Name | "
    "Given Name Yomi | Family Name Yomi | Additional Name | Additional Name Yomi | "
    "Name Prefix | Name Suffix | Phonetic First Name | Phonetic Middle Name | "
    "Phonetic Last Name | Birthday | Anniversary | Gender | Photo | Adresse | Code postal | "
    "CP | Address | Street | Postal Code | Zip | Short Name | Maiden Name | Occupation | "
    "Department | Organization Department | Web Page | Website | Site web | Fax | "
    "Business Fax | Home Fax | Other Fax | Pager | Assistant's Name | Assistant's Phone | "
    "Manager's Name | Spouse | Children | Hobby | Account | Billing Information | "
    "Callback | Car Phone | ISDN | Radio Phone | TTY/TDD Phone | Telex | Directory Server | "
    "Government ID Number | Internet Free Busy | Location | Mileage | Office Location | "
    "Organizational ID Number | Priority | Private | Referred By | Sensitivity | User 1 | "
    "User 2 | User 3 | User 4 | E-mail Type | E-mail Display Name | E-mail 2 Type | "
    "E-mail 2 Display Name | E-mail 3 Type | E-mail 3 Display Name | Source | "
    "Lawful basis | Base légale | Created | Créé le | Opt-out | Opposition | "
    "Outlet Website | Outlet Circulation | Circulation | Audience | ID"
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Google Contacts: "E-mail 1 - Value", "Phone 2 - Value", "Organization 1 - Name", …
    (re.compile(r"^email\d+value$"), "email"),
    (re.compile(r"^phone\d+value$"), "phone"),
    (re.compile(r"^organization\d+name$"), "outlet"),
    (re.compile(r"^organization\d+title$"), "title"),
    (
        re.compile(
            r"^(email|phone|organization|address|website|relation|event|im|externalid|"
            r"customfield|location|calendarlink)\d+.*$"
        ),
        IGNORE,
    ),
    (
        re.compile(
            r"^(home|business|other)(street|city|state|postalcode|countryregion|pobox|address)\d*.*$"
        ),
        IGNORE,
    ),
]

_BY_KEY: dict[str, str] = {key: IGNORE for key in _KNOWN_IGNORED}
for _field, _header_keys in _SYNONYMS.items():
    for _key in _header_keys:
        _BY_KEY[_key] = _field


def recognise(header: str) -> str | None:
    """The field a header feeds, IGNORE for a known column we do not keep, None when unknown."""
    key = header_key(header)
    if not key:
        return IGNORE
    if key in _BY_KEY:
        return _BY_KEY[key]
    for pattern, field in _PATTERNS:
        if pattern.match(key):
            return field
    return None


def auto_mapping(headers: list[str]) -> dict[str, str | None]:
    """Each header's field as far as recognised, with the rules that depend on the whole set."""
    mapping = {h: recognise(h) for h in headers}
    keys = {header_key(h) for h in headers}
    fields = set(mapping.values())
    for header, field in mapping.items():
        key = header_key(header)
        # French files: "Nom" is the last name next to a "Prénom", the whole name on its own.
        if key == "nom":
            mapping[header] = "last_name" if "first_name" in fields else "full_name"
        # Outlook's "Title" is Mr/Mrs; elsewhere a lone "Title" is the job title.
        elif key == "title" and field == IGNORE and not ({"jobtitle", "organizationtitle"} & keys):
            mapping[header] = "title"
    return mapping


def unknown_headers(mapping: dict[str, str | None]) -> list[str]:
    """The headers the mapping does not account for."""
    return [h for h, field in mapping.items() if field is None]


def headers_key(headers: list[str]) -> str:
    """The key a confirmed mapping is remembered under: SHA-256 of the normalised header list."""
    return hashlib.sha256(json.dumps([header_key(h) for h in headers]).encode()).hexdigest()


def validate_mapping(mapping: dict[str, str]) -> list[str]:
    """The fields of a user-given mapping that do not exist."""
    return sorted({field for field in mapping.values() if field not in FIELDS})
