"""A suggested tone for a clipping, from a short list of words (French and English).

It is a suggestion for a person to confirm, never applied on its own, and it states its reasons:
the words that counted each way. Limits, said where it is shown and in the guide:
- it reads the headline and the passage around the mention, not the whole article;
- it counts words, so it misses irony, quotes of opponents and reported speech, and a story
  about a competitor's trouble reads as negative;
- negation is only "not/pas/jamais/sans… within three words before";
- the lists are short and general-purpose (business and public-affairs news), and cover French
  and English only; other languages get no suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressdesk.lib.text import words
from pressdesk.monitoring.models import Tone

# Folded forms (no accents, lower case). A trailing * matches any ending: "licenci*" takes
# licenciement, licenciements, licencie.
POSITIVE = {
    "fr": (
        "succes reussi* reussite* record* progres* croissance innov* recompens* "
        "salue* felicit* excellent* remarquable* ambitieu* inaugur* embauch* recrut* creation* "
        "soutien* partenariat* benefice* gagne* victoire* favorable* efficace* "
        "applaudi* enthousias* fier* fiert* exemplaire* solidaire* pionnier*"
    ),
    "en": (
        "success* successful record* growth grow* gain* innovat* award* praise* excellent "
        "outstanding remarkable ambitious launch* hire* hiring recruit* partnership* "
        "profit* win wins winning winner* won victory favourable favorable effective celebrat* "
        "proud pioneer* "
        "breakthrough* boost* thriv* welcome*"
    ),
}
NEGATIVE = {
    "fr": (
        "greve* licenci* fermeture* crise* scandale* plainte* proces condamn* amende* "
        "accident* pollution* polluant* fraude* echec* perte* deficit* chute* "
        "critique* polemique* inquiet* colere* menace* conflit* faillite* redressement "
        "suppression* accuse* enquete* retard* danger* dangereu* boycott* manifestant* "
        "controverse* defaillan*"
    ),
    "en": (
        "strike* layoff* lay-off* redundanc* closure* closing crisis scandal* complaint* "
        "lawsuit* sued sues convict* fined accident* pollut* fraud* fail* loss* "
        "deficit* decline* drop* criticis* criticiz* controvers* concern* anger angry "
        "threat* conflict* bankrupt* accus* investigat* probe* delay* danger* boycott* "
        "protest* recall* breach*"
    ),
}
NEGATIONS = {
    "fr": {"pas", "jamais", "sans", "aucun", "aucune", "ni"},
    "en": {"not", "no", "never", "without", "nor", "isn't", "wasn't", "didn't", "don't"},
}
NEGATION_REACH = 3
# A tone is suggested only when one side wins by this many words; otherwise neutral.
MARGIN = 2


def _lexicon(spec: str) -> tuple[frozenset[str], tuple[str, ...]]:
    whole = frozenset(w for w in spec.split() if not w.endswith("*"))
    prefixes = tuple(w[:-1] for w in spec.split() if w.endswith("*"))
    return whole, prefixes


_LEXICONS = {lang: (_lexicon(POSITIVE[lang]), _lexicon(NEGATIVE[lang])) for lang in ("fr", "en")}


@dataclass(frozen=True)
class Suggestion:
    tone: str
    positive: list[str] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The tone in words, in the active language."""
        return str(Tone(self.tone).label)


def _hit(word: str, lexicon: tuple[frozenset[str], tuple[str, ...]]) -> bool:
    whole, prefixes = lexicon
    return word in whole or word.startswith(prefixes)


def suggest(text: str, language: str) -> Suggestion | None:
    """The tone the words of `text` suggest, with those words; None for an unknown language or
    a text with no telling word."""
    lang = (language or "")[:2].lower()
    if lang not in _LEXICONS:
        return None
    positive_lexicon, negative_lexicon = _LEXICONS[lang]
    negations = NEGATIONS[lang]
    positive: list[str] = []
    negative: list[str] = []
    found = words(text)
    for index, word in enumerate(found):
        side = (
            positive
            if _hit(word, positive_lexicon)
            else negative
            if _hit(word, negative_lexicon)
            else None
        )
        if side is None:
            continue
        if negations.intersection(found[max(0, index - NEGATION_REACH) : index]):
            # "pas de grève", "no layoffs": the word counts the other way.
            side = negative if side is positive else positive
            word = f"¬{word}"
        if word not in side:
            side.append(word)
    if not positive and not negative:
        return None
    score = len(positive) - len(negative)
    tone = Tone.POSITIVE if score >= MARGIN else Tone.NEGATIVE if score <= -MARGIN else Tone.NEUTRAL
    return Suggestion(str(tone), positive, negative)


def for_clipping(clipping: object) -> Suggestion | None:
    """The suggestion for a clipping: its headline and the passage around the mention."""
    item = getattr(clipping, "item", None)
    if item is None:
        return None
    text = "\n".join(
        part for part in (item.title, getattr(clipping, "passage", "") or item.extract) if part
    )
    return suggest(text, item.language)
