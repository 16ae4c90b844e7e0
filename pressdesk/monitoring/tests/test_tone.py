"""The suggested tone: words counted each way, shown for a person to confirm, never applied."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import tone, watch
from pressdesk.monitoring.models import Clipping, ToneMethod
from pressdesk.monitoring.tests.support import article


def test_it_suggests_a_tone_from_french_and_english_words() -> None:
    negative = tone.suggest(
        "Grève chez Acme : les salariés en colère contre les licenciements", "fr"
    )
    assert negative is not None and negative.tone == "negative"
    assert negative.negative == ["greve", "colere", "licenciements"]
    positive = tone.suggest("Acme wins an award for record growth", "en")
    assert positive is not None and positive.tone == "positive"


def test_it_reads_a_negation_the_other_way() -> None:
    found = tone.suggest("Pas de licenciements chez Acme", "fr")
    assert found is not None and found.positive == ["¬licenciements"] and not found.negative


def test_it_stays_neutral_when_words_balance_and_silent_otherwise() -> None:
    mixed = tone.suggest("Acme recrute malgré la crise", "fr")
    assert mixed is not None and mixed.tone == "neutral"
    assert tone.suggest("Acme publie ses comptes", "fr") is None
    assert tone.suggest("Acme wächst schnell und gewinnt", "de") is None  # French and English only


def test_it_is_shown_and_applied_only_when_confirmed(as_bob: Client, org: Organisation) -> None:
    watch.save(org, "Acme", "acme")
    article(
        org, "Grève chez Acme", "<p>Grève et colère chez Acme, qui annonce des licenciements.</p>"
    )
    clipping = Clipping.objects.for_org(org).get()
    assert clipping.tone == ""  # never applied by the pipeline
    page = as_bob.get("/o/acme/monitoring/").content.decode()
    assert "Suggested tone: Negative" in page and 'name="suggested_tone"' in page
    as_bob.post(
        f"/o/acme/monitoring/clippings/{clipping.pk}/", {"suggested_tone": "negative", "tone": ""}
    )
    clipping.refresh_from_db()
    assert (clipping.tone, clipping.tone_method) == ("negative", ToneMethod.SUGGESTED)
    page = as_bob.get("/o/acme/monitoring/", {"verdict": "all"}).content.decode()
    assert "Suggested from words in the text" in page and 'name="suggested_tone"' not in page
