"""The house conventions of each release template (fr-FR, fr-CA, en), in the release's own
language whatever the reader's: "Communiqué de presse", the dateline, the closing mark, the
embargo notice. They are the genre's fixed wording, not interface strings, so they live here
rather than in the translation catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from pressdesk.releases.models import ReleaseTemplate


@dataclass(frozen=True)
class Conventions:
    kind: str  # the heading above the release
    closing: str  # the mark that ends the release's own words
    about: str  # "À propos de %(org)s"
    contact: str  # the press contact's heading
    embargo: str  # "%(when)s" is the instant in the organisation's time zone
    immediate: str
    locale: str  # Babel's
    language: str  # the page's lang attribute


CONVENTIONS: dict[str, Conventions] = {
    ReleaseTemplate.FR_FR: Conventions(
        kind="Communiqué de presse",
        closing="###",
        about="À propos de %(org)s",
        contact="Contact presse",
        embargo="SOUS EMBARGO JUSQU’AU %(when)s",
        immediate="Pour diffusion immédiate",
        locale="fr_FR",
        language="fr",
    ),
    ReleaseTemplate.FR_CA: Conventions(
        kind="Communiqué de presse",
        closing="-30-",
        about="À propos de %(org)s",
        contact="Renseignements",
        embargo="Ne pas publier avant le %(when)s",
        immediate="Pour publication immédiate",
        locale="fr_CA",
        language="fr-CA",
    ),
    ReleaseTemplate.EN: Conventions(
        kind="Press release",
        closing="###",
        about="About %(org)s",
        contact="Press contact",
        embargo="EMBARGOED UNTIL %(when)s",
        immediate="FOR IMMEDIATE RELEASE",
        locale="en_GB",
        language="en",
    ),
}


def about_heading(template: str, org_name: str) -> str:
    """ "À propos d’Énergies Citoyennes…" / "À propos de Acme" (French elides before a vowel)."""
    rules = conventions(template)
    if rules.language.startswith("fr") and org_name[:1].lower() in "aàâeéèêëiîïoôuùûy":
        return rules.about.replace("de %(org)s", "d’%(org)s") % {"org": org_name}
    return rules.about % {"org": org_name}


def conventions(template: str) -> Conventions:
    """The conventions of a template (fr-FR when unknown)."""
    return CONVENTIONS.get(template, CONVENTIONS[ReleaseTemplate.FR_FR])


def long_date(day: date, template: str) -> str:
    """ "3 mars 2027", "1er mars 2027" in French; "March 3, 2027" in English."""
    if template == ReleaseTemplate.EN:
        return format_date(day, "MMMM d, y", locale="en_US")
    text = format_date(day, "d MMMM y", locale=conventions(template).locale)
    return "1er" + text[1:] if day.day == 1 else text


def dateline(city: str, day: date, template: str) -> str:
    """ "Paris, le 3 mars 2027" (France and Québec) or "PARIS, March 3, 2027 —" (English)."""
    city = city.strip() or ("Montréal" if template == ReleaseTemplate.FR_CA else "Paris")
    if template == ReleaseTemplate.EN:
        return f"{city.upper()}, {long_date(day, template)} —"
    return f"{city}, le {long_date(day, template)}"


def instant(at: datetime, zone: str, template: str) -> str:
    """An embargo's instant as the release prints it: "3 mars 2027, 10 h 00" in the organisation's
    time zone; "March 3, 2027, 10:00 CET" in English."""
    local = at.astimezone(ZoneInfo(zone))
    day = long_date(local.date(), template)
    if template == ReleaseTemplate.EN:
        return f"{day}, {local:%H:%M} {local.tzname()}"
    return f"{day}, {local.hour}\u00a0h\u00a0{local:%M}"


def notice(embargo_until: datetime | None, zone: str, template: str) -> str:
    """The embargo line, or the immediate-release line when there is no embargo."""
    rules = conventions(template)
    if embargo_until is None:
        return rules.immediate
    return rules.embargo % {"when": instant(embargo_until, zone, template)}
