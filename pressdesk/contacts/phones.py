"""Phone numbers as people read and type them, the same on every page, export and history.

Numbers are stored twice: as typed and in E.164. Their kind ("mobile", "work"…) is stored as a
key, whatever language it was typed in ("Portable", "Mobile", "Cell"), and shown by name.
"""

from __future__ import annotations

import re

import phonenumbers
from django.utils.translation import gettext_lazy as _

from pressdesk.lib.text import normalise
from pressdesk.lib.typography import label_value

MOBILE, WORK, HOME, FAX, PAGER = "mobile", "work", "home", "fax", "pager"
LABELS = {
    MOBILE: _("Mobile"),
    WORK: _("Work"),
    HOME: _("Home"),
    FAX: _("Fax"),
    PAGER: _("Pager"),
}
# What people type before a number, in French and English, folded.
_TYPED = {
    MOBILE: ("portable", "port", "cell", "cellphone", "cell phone", "gsm", "mob", "tel portable"),
    WORK: ("bureau", "pro", "professionnel", "office", "standard", "ligne directe", "direct"),
    HOME: ("domicile", "perso", "personnel", "personal", "maison"),
    FAX: ("telecopie",),
    PAGER: ("bipeur",),
}
_KEYS = {word: key for key, words in _TYPED.items() for word in (key, *words)}
_FRENCH = re.compile(r"\+33([1-79])(\d\d)(\d\d)(\d\d)(\d\d)")


def label_key(typed: str) -> str:
    """The stored kind of a typed label ("Portable" → "mobile"); other labels are kept as typed."""
    typed = typed.strip()
    return _KEYS.get(normalise(typed), typed[:30])


def label_name(key: str) -> str:
    """A stored kind in words, in the reader's language ("mobile" → "Portable")."""
    return str(LABELS.get(key, key))


def display(e164: str, raw: str = "") -> str:
    """A number as people read it: French ones in national format, others international."""
    if not e164:
        return raw
    # The common case without phonenumbers' parser: exports run this for every number.
    french = _FRENCH.fullmatch(e164)
    if french:
        return "0{} {} {} {} {}".format(*french.groups())
    return formatted(e164)


def formatted(e164: str) -> str:
    """display() through phonenumbers' own formatting, without the shortcut for French numbers."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# History keeps each number as "kind|number" (the number in E.164 when it could be read); rows
# written before kinds were kept hold the number alone. "|" appears in neither a kind key nor
# a number as stored, and ", " separates the numbers of one row.
HISTORY_SEPARATOR = "|"


def history_item(label: str, e164: str, raw: str) -> str:
    """One number as a history row stores it: its kind, then the number (E.164 if read)."""
    number = e164 or raw.replace(",", " ")
    kind = label_key(label).replace(",", " ").replace(HISTORY_SEPARATOR, " ").strip()
    return f"{kind}{HISTORY_SEPARATOR}{number}" if kind else number


def history_list(numbers: list[tuple[str, str, str]]) -> str:
    """(kind, E.164, as typed) numbers as one history value."""
    return ", ".join(history_item(label, e164, raw) for label, e164, raw in numbers)


def display_list(text: str) -> str:
    """A history row's numbers as people read them: "Portable : 06 12 34 56 78, Bureau : …"."""
    shown = []
    for item in (text or "").split(","):
        kind, _sep, number = item.strip().rpartition(HISTORY_SEPARATOR)
        if not number:
            continue
        number = display(number) if number.startswith("+") else number
        shown.append(label_value(label_name(kind), number) if kind else number)
    return ", ".join(shown)


def line(label: str, e164: str, raw: str) -> str:
    """One number as the edit form shows it: "Portable : 06 12 34 56 78"."""
    number = display(e164, raw)
    return label_value(label_name(label_key(label)), number) if label else number
