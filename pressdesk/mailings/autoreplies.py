"""Auto-replies (RFC 3834, out-of-office): recognising them, their return date, a new address.

Dates are read in French and English wording: « de retour le 12 janvier », "back on January 12",
« jusqu'au 3/02 ». A numeric date is day/month (the French and British order) unless only the
other order makes sense. A date without a year is the first such day on or after the reply.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

ADDRESS_RE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

SUBJECT_RE = re.compile(
    r"\babsen(?:ce|te?)\b|r[ée]ponse automatique|message automatique|out of (?:the )?office"
    r"|automatic reply|auto(?:matic)?[- ]?(?:reply|response|respond|answer)|\bauto:"
    r"|away from (?:the office|my desk)|on (?:vacation|holiday|leave)|vacation|cong[ée]s?\b"
    r"|\babwesend|abwesenheit",
    re.IGNORECASE,
)

# Words saying the message gives a new address, then the address within a short distance.
NEW_ADDRESS_RE = re.compile(
    r"(?:new (?:e-?mail )?address|nouvelle adresse|please (?:write|send \w+) to|write to me at"
    r"|can now be reached at|is now|has changed to|please (?:update|use)|please try"
    r"|merci d['’]écrire à|merci d['’]utiliser|veuillez (?:écrire|utiliser)|écrivez[- ]moi à"
    r"|écrivez à|désormais|dorénavant|a changé)"
    r"[^@\n]{0,80}?(" + ADDRESS_RE.pattern + ")",
    re.IGNORECASE,
)

MONTHS = {
    "janvier": 1, "janv": 1, "january": 1, "jan": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "february": 2, "feb": 2,
    "mars": 3, "march": 3, "mar": 3,
    "avril": 4, "avr": 4, "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juin": 6, "june": 6, "jun": 6,
    "juillet": 7, "juil": 7, "july": 7, "jul": 7,
    "août": 8, "aout": 8, "august": 8, "aug": 8,
    "septembre": 9, "september": 9, "sept": 9, "sep": 9,
    "octobre": 10, "october": 10, "oct": 10,
    "novembre": 11, "november": 11, "nov": 11,
    "décembre": 12, "decembre": 12, "december": 12, "déc": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
)
_YEAR = r"(?:,?\s+(\d{4}))?"
# What comes before a return date.
_LEAD = (
    r"(?:de retour|retour(?: prévu)?|je serai (?:de retour|là|joignable)|je reviens|reprise"
    r"|jusqu['’]au|jusqu['’]à|au|à partir du|dès le|back|return(?:ing)?|in the office"
    r"|until|till|through|from|to)"
    r"(?:\s+(?:le|on|au|the|in the office on|to the office on|on the))?\s+"
)
DAY_MONTH_RE = re.compile(
    _LEAD + _WEEKDAY + r"(\d{1,2})(?:er|st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR,
    re.IGNORECASE,
)
MONTH_DAY_RE = re.compile(
    _LEAD + _WEEKDAY + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?" + _YEAR, re.IGNORECASE
)
NUMERIC_RE = re.compile(
    _LEAD + _WEEKDAY + r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?(?![\d/])", re.IGNORECASE
)


def looks_like_auto_reply_subject(subject: str) -> bool:
    """Whether a subject reads like an out-of-office or an automatic reply."""
    return bool(SUBJECT_RE.search(subject))


def find_new_address(text: str, exclude: set[str]) -> str | None:
    """An address the text gives as the person's new one (not one of `exclude`)."""
    for match in NEW_ADDRESS_RE.finditer(text):
        address = match.group(1).rstrip(".").lower()
        if address not in exclude:
            return address
    return None


def _make(year: int | None, month: int, day: int, sent: date) -> date | None:
    """The date, its year taken from the reply's date when missing; None if impossible."""
    if year is not None and year < 100:
        year += 2000
    try:
        if year is not None:
            return date(year, month, day)
        found = date(sent.year, month, day)
        # "Back on 3 January", written on 20 December, means next year.
        if found < sent - timedelta(days=7):
            found = date(sent.year + 1, month, day)
        return found
    except ValueError:
        return None


def find_return_date(text: str, sent: date) -> date | None:
    """The first return date the text gives, in French or English wording."""
    candidates: list[tuple[int, date]] = []
    for match in DAY_MONTH_RE.finditer(text):
        day, month, year = match.groups()
        found = _make(int(year) if year else None, MONTHS[month.lower()], int(day), sent)
        if found:
            candidates.append((match.start(), found))
    for match in MONTH_DAY_RE.finditer(text):
        month, day, year = match.groups()
        found = _make(int(year) if year else None, MONTHS[month.lower()], int(day), sent)
        if found:
            candidates.append((match.start(), found))
    for match in NUMERIC_RE.finditer(text):
        first, second, year = int(match.group(1)), int(match.group(2)), match.group(3)
        day, month = (second, first) if first <= 12 < second else (first, second)
        found = _make(int(year) if year else None, month, day, sent)
        if found:
            candidates.append((match.start(), found))
    if not candidates:
        return None
    # "Absent du 2 au 12 janvier": the later of two dates read close together is the return.
    candidates.sort()
    first_pos, best = candidates[0]
    for pos, found in candidates[1:]:
        if pos - first_pos < 40 and found > best:
            best = found
    return best
