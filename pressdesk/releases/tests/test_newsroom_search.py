"""The newsroom's search: matches read once, newest first, and counted only up to a cap."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases import newsroom_search, newsroom_site
from pressdesk.releases.models import ReleaseState
from pressdesk.releases.tests.newsroom_data import release
from pressdesk.releases.views import newsroom as views

pytestmark = pytest.mark.django_db


def _five_about_wind(org: Organisation) -> None:
    now = timezone.now()
    for n in range(5):
        release(
            org,
            f"Éolien numéro {n}",
            slug=f"eolien-{n}",
            visible_from=now - timedelta(hours=n + 1),
            template="fr-FR",
        )
    release(org, "Rien à voir", slug="autre", visible_from=now - timedelta(minutes=5))


def test_it_lists_the_newest_matches_and_says_more_past_the_cap(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    _five_about_wind(org)
    monkeypatch.setattr(newsroom_search, "CAP", 3)
    html = client.get("/newsroom/acme/", {"q": "eolien"}).content.decode()
    assert "Plus de 3 communiqués trouvés\u00a0: les 3 plus récents sont listés." in html
    for n in range(3):
        assert f"Éolien numéro {n}" in html
    assert "Éolien numéro 3" not in html and "Éolien numéro 4" not in html
    assert "Rien à voir" not in html


def test_it_says_more_than_in_english_too(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    _five_about_wind(org)
    monkeypatch.setattr(newsroom_search, "CAP", 3)
    html = client.get("/newsroom/acme/", {"q": "eolien", "lang": "en"}).content.decode()
    assert "More than 3 releases found: the newest 3 are listed." in html


def test_it_counts_exactly_up_to_the_cap(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    _five_about_wind(org)
    monkeypatch.setattr(newsroom_search, "CAP", 5)
    fr = client.get("/newsroom/acme/", {"q": "eolien"}).content.decode()
    en = client.get("/newsroom/acme/", {"q": "eolien", "lang": "en"}).content.decode()
    assert "5 communiqués trouvés." in fr and "Plus de" not in fr
    assert "5 releases found." in en and "More than" not in en


def test_it_pages_through_the_capped_matches(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = timezone.now()
    for n in range(45):
        release(org, f"Marée {n:02d}", slug=f"m{n}", visible_from=now - timedelta(minutes=n + 1))
    monkeypatch.setattr(newsroom_search, "CAP", 30)
    second = client.get("/newsroom/acme/", {"q": "maree", "page": 2}).content.decode()
    assert "Marée 20" in second and "Marée 29" in second
    assert "Marée 19" not in second and "Marée 30" not in second
    assert 'rel="next"' not in second


def test_it_never_finds_an_embargoed_release(org: Organisation) -> None:
    at = timezone.now()
    release(org, "Éolien public", slug="public", visible_from=at - timedelta(hours=1))
    release(org, "Éolien sous embargo", slug="embargo", visible_from=at + timedelta(seconds=1))
    release(org, "Éolien brouillon", slug="brouillon", state=ReleaseState.DRAFT)
    public = newsroom_site.public_releases(org, at)
    found = newsroom_search.found(public, "eolien", cap=1)
    assert found is not None
    assert [r.slug for r in public.filter(pk__in=found.ids)] == ["public"]
    assert found.capped is False


def test_it_finds_nothing_to_search_in_punctuation(org: Organisation) -> None:
    release(org, "Éolien", slug="e")
    assert (
        newsroom_search.found(newsroom_site.public_releases(org, timezone.now()), "« ! »") is None
    )


def test_it_writes_the_cap_as_each_language_does() -> None:
    assert views._number(1000, "en") == "1,000"
    assert views._number(1000, "fr") in ("1\u00a0000", "1\u202f000")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_it_leaves_the_planner_as_it_was_inside_a_transaction(org: Organisation) -> None:
    release(org, "Éolien", slug="e")
    with transaction.atomic(), connection.cursor() as cursor:
        newsroom_search.found(newsroom_site.public_releases(org, timezone.now()), "eolien")
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
