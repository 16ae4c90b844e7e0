"""Clipping explanations kept as reasons and written in the reader's language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from pressdesk.accounts.models import Organisation, User
from pressdesk.monitoring import explanations, watch
from pressdesk.monitoring.models import Clipping
from pressdesk.monitoring.query import Document, Matcher, parse
from pressdesk.monitoring.tests.support import article

QUERY = (
    '("Marie Dupont" OR acme*) AND NOT case:"Orange" AND lang:fr AND NOT banane '
    "AND (solaire NEAR/5 toits) AND NOT title:usine"
)
TEXT = "Marie Dupont, d’acmecorp, parle des toits en solaire et d’orange. " * 3


@pytest.mark.parametrize("written_in", ["en", "fr"])
def test_it_parses_every_sentence_the_matcher_writes(written_in: str) -> None:
    matcher = Matcher({"q": parse(QUERY)})
    with translation.override(written_in):
        [found] = matcher.match(Document(text=TEXT, title="Marie Dupont", lang="fr"))
        reasons = explanations.parse(found.explanation)
    assert "text" not in {r["code"] for r in reasons}, reasons
    assert {r["code"] for r in reasons} >= {"found", "near", "not_capitals", "lang", "not_absent"}
    with translation.override(written_in):
        # Written again in the same language, it reads as the matcher wrote it, but for the
        # language, now by its name.
        again = explanations.render(reasons)
    assert again.replace("French", "fr").replace("français", "fr") == found.explanation
    with translation.override("fr" if written_in == "en" else "en"):
        other = explanations.render(reasons)
    assert other != again and "Marie Dupont" in other


@pytest.mark.parametrize("written_in", ["en", "fr"])
def test_it_parses_the_other_sentences_too(written_in: str) -> None:
    queries = {
        "outlet": parse('acme AND outlet:"La Voix" AND type:regional AND NOT title:usine'),
        "parts": parse('case:"Acme" AND NOT (banane AND cerise) AND NOT voix'),
    }
    document = Document(
        text="Acme à Lille, selon La Voix, et l’usine.",
        title="Acme",
        lang="fr",
        outlet="La Voix",
        media_type="regional_daily",
    )
    with translation.override(written_in):
        found = Matcher(queries).match(document)
        codes = {r["code"] for m in found for r in explanations.parse(m.explanation)}
    assert codes == {"found", "found_case", "outlet", "type", "not_title", "not_part", "not_outlet"}


def test_it_keeps_what_it_cannot_parse() -> None:
    reasons = explanations.parse("something new; “acme” found in the text at 0–4")
    assert reasons[0] == {"code": "text", "text": "something new"}
    assert explanations.render(reasons).startswith("something new; ")


def test_it_shows_the_explanation_in_the_readers_language(
    as_vera: Client, vera: User, org: Organisation
) -> None:
    watch.save(org, "CEO", '"Marie Dupont"')
    with translation.override("en"):  # the worker's language
        article(org, "Acme", "<p>Marie Dupont opened a plant.</p>")
    clipping = Clipping.objects.for_org(org).get()
    assert clipping.reasons[0]["code"] == "found"
    vera.language = "fr"
    vera.save(update_fields=["language"])
    page = as_vera.get("/o/acme/monitoring/").content.decode()
    assert "Marie Dupont\u00a0» trouvé dans le texte" in page
    assert "found in the text" not in page


def test_it_shows_rows_stored_before_reasons_as_they_are(
    as_vera: Client, org: Organisation
) -> None:
    watch.save(org, "CEO", '"Marie Dupont"')
    article(org, "Acme", "<p>Marie Dupont opened a plant.</p>")
    Clipping.objects.for_org(org).update(reasons=[], explanation="an old explanation")
    page = as_vera.get("/o/acme/monitoring/").content.decode()
    assert "an old explanation" in page
