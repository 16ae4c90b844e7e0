"""The archive page reads the index newest first and stops once the page is full: it must show
exactly what reading every article with the matcher would show, in the same order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Outlet
from pressdesk.contacts.models.outlets import MediaType
from pressdesk.lib.text import search_text
from pressdesk.monitoring import archive
from pressdesk.monitoring.models import Item, Stage
from pressdesk.monitoring.pipeline import short_extract
from pressdesk.monitoring.query import Matcher, parse
from pressdesk.work.models import WorkState

WORDS = ["le", "la", "les", "de", "du", "un", "une", "et", "à", "en", "pour", "sur", "avec"]
WORDS += ["selon", "usine", "marché", "hausse", "baisse", "ventes", "the", "of", "and", "in"]
WORDS += ["to", "plant", "sales", "market", "growth"]
NAMES = ["Marie Dupont", "Mme Dupont", "Acme", "Orange", "orange", "fruit", "jus", "Lyon"]
NAMES += ["énergie", "énergies", "energy", "Saint-Étienne", "Jean-Luc Martin", "l’usine"]
QUERIES = [
    '"Marie Dupont" OR "Mme Dupont"',
    "acme",
    "acme NOT (fruit OR jus)",
    '"Orange" NOT fruit',
    'case:"Orange"',
    "énerg*",
    "acme NEAR/3 lyon",
    '"Marie Dupont" NEAR/5 acme',
    # NEAR both ways round, with phrases and a prefix on either side.
    'lyon NEAR/2 "Marie Dupont"',
    'énerg* NEAR/4 "Jean-Luc Martin"',
    '"Saint-Étienne" NEAR/6 usine*',
    "title:acme",
    "title:orange AND lang:fr",
    "acme AND type:regional",
    # More alternatives than the index is asked for: every article is a candidate.
    "acme OR lyon OR fruit OR jus OR usine OR energy OR orange OR plant OR sales",
    "energy AND lang:en",
    '"Saint-Étienne" OR "Jean-Luc Martin"',
    "usine AND energy",
    '"Kergalubo"',
]
START = datetime(2026, 1, 1, tzinfo=UTC)


def _text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        out.append(rng.choice(NAMES) if rng.random() < 0.08 else rng.choice(WORDS))
    return " ".join(out).capitalize() + "."


@pytest.fixture
def stored(org: Organisation) -> list[Item]:
    """140 articles: full text or summary and extract only, French and English, two outlets,
    collected mostly in id order with some stored late or backdated."""
    rng = random.Random(10)
    outlets = [
        Outlet.objects.for_org(org).create(name="Le Progrès", media_type=MediaType.REGIONAL_DAILY),
        Outlet.objects.for_org(org).create(name="Daily", media_type=MediaType.DAILY),
    ]
    items = []
    for number in range(140):
        text = _text(rng, rng.randint(20, 120))
        title = _text(rng, 6)
        kept = rng.random() < 0.7
        summary = "" if kept else _text(rng, 15)
        extract = short_extract(text)
        minutes = number * 10
        if rng.random() < 0.1:
            minutes -= rng.randint(30, 900)  # stored late, or backdated by an import
        items.append(
            Item.objects.for_org(org).create(
                url=f"https://x.example/{number}",
                url_key=f"{number:040d}",
                title=title,
                summary=summary,
                extract=extract,
                text=text if kept else "",
                full_text_kept=kept,
                language=rng.choice(["fr", "fr", "en"]),
                outlet=rng.choice(outlets),
                search_text=search_text(title, summary, extract, text if kept else ""),
                stage=Stage.DONE if number % 17 else Stage.QUARANTINED,
                state=WorkState.DONE,
                collected=START + timedelta(minutes=minutes),
            )
        )
    return items


def _every_match(org: Organisation, expression: str) -> list[int]:
    """The ids of every match, newest first: the matcher reading every article in full."""
    matcher = Matcher({"q": parse(expression)})
    return [item.pk for item in archive.articles(org) if matcher.match(archive.document(item))]


@pytest.mark.parametrize("expression", QUERIES)
def test_it_pages_exactly_what_the_matcher_finds_newest_first(
    org: Organisation, stored: list[Item], expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "PAGE_CHUNK", 3)  # many chunks, and stops inside them
    monkeypatch.setattr(archive, "PAGE_CHUNK_MAX", 7)
    expected = _every_match(org, expression)
    for limit in (1, 4, 25, 200):
        page = archive.search_page(org, expression, limit=limit)
        assert [hit.item.pk for hit in page.hits] == expected[:limit], (expression, limit)
        assert page.more == (len(expected) > limit)
        assert page.count == min(limit, len(expected))


def test_it_explains_a_match_found_in_the_extract_at_the_same_place(
    org: Organisation, stored: list[Item]
) -> None:
    """A match in the first read (headline and extract) is where the full text has it."""
    for hit in archive.search_page(org, "acme", limit=200).hits:
        item = Item.objects.get(pk=hit.item.pk)
        text = archive.stored_text(item)
        for span in hit.spans:
            found = (item.title if span["field"] == "title" else text)[span["start"] : span["end"]]
            assert found.casefold() == "acme"


@pytest.mark.parametrize(
    ("since", "until"),
    [(5, 15), (None, 6), (20, None), (100, None), (None, -1)],
)
def test_it_keeps_the_dates_exactly(
    org: Organisation,
    stored: list[Item],
    since: int | None,
    until: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dates bound the ids walked: articles stored late or backdated near a bound still count."""
    monkeypatch.setattr(archive, "PAGE_CHUNK", 3)
    start = START + timedelta(hours=since) if since is not None else None
    end = START + timedelta(hours=until) if until is not None else None
    expected = [
        pk
        for pk in _every_match(org, "acme OR usine")
        if (start is None or Item.objects.get(pk=pk).collected >= start)
        and (end is None or Item.objects.get(pk=pk).collected < end)
    ]
    for limit in (3, 200):
        page = archive.search_page(org, "acme OR usine", since=start, until=end, limit=limit)
        assert [hit.item.pk for hit in page.hits] == expected[:limit]
        assert page.more == (len(expected) > limit)


def test_it_never_shows_another_organisations_articles(
    org: Organisation, other_org: Organisation, stored: list[Item]
) -> None:
    Item.objects.for_org(other_org).create(
        url="https://y.example/1",
        url_key="y1",
        title="Acme",
        search_text="acme",
        stage=Stage.DONE,
        state=WorkState.DONE,
        collected=START + timedelta(days=30),
    )
    hits = archive.search_page(other_org, "acme").hits
    assert [hit.item.title for hit in hits] == ["Acme"]
    assert all(hit.item.org_id == org.pk for hit in archive.search_page(org, "acme").hits)


URL = "/o/acme/monitoring/archive/"


@pytest.mark.parametrize(
    ("language", "capped", "exact"),
    [
        ("en", "More than 4 articles match: the newest are shown.", "match."),
        ("fr", "Plus de 4 articles correspondent\u00a0: les plus récents", "correspondent."),
    ],
)
def test_it_says_more_match_than_the_page_shows_in_both_languages(
    as_vera: Client,
    vera: User,
    org: Organisation,
    stored: list[Item],
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    capped: str,
    exact: str,
) -> None:
    from pressdesk.monitoring.views import archive as views

    vera.language = language
    vera.save(update_fields=["language"])
    every = len(_every_match(org, "acme"))
    assert every > 4
    monkeypatch.setattr(views, "RESULTS", 4)
    page = as_vera.get(URL, {"q": "acme"}).content.decode()
    assert capped in page
    monkeypatch.setattr(views, "RESULTS", 500)
    page = as_vera.get(URL, {"q": "acme"}).content.decode()
    assert f"{every} articles {exact}" in page


@pytest.mark.parametrize("expression", ['"Marie Dupont" NEAR/5 acme', "acme NEAR/3 lyon"])
def test_it_pages_sparse_matches_through_the_index_exactly(
    org: Organisation, stored: list[Item], expression: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matches found sparse are read by windows through the index (PostgreSQL's bitmap plan):
    the page is the same."""
    from pressdesk.lib.search import postgres

    monkeypatch.setattr(postgres, "SPARSE", 1)
    monkeypatch.setattr(postgres, "SPARSE_WALK", 0)
    monkeypatch.setattr(postgres, "WINDOW", 8)
    monkeypatch.setattr(archive, "PAGE_CHUNK", 3)
    monkeypatch.setattr(archive, "PAGE_CHUNK_MAX", 7)
    expected = _every_match(org, expression)
    for limit in (1, 4, 200):
        page = archive.search_page(org, expression, limit=limit)
        assert [hit.item.pk for hit in page.hits] == expected[:limit], (expression, limit)
        assert page.more == (len(expected) > limit)


def test_it_finds_a_near_pair_past_the_last_word_position_postgresql_keeps(
    org: Organisation,
) -> None:
    """PostgreSQL's word positions stop at 16,383: a NEAR pair further on is still found."""
    text = " ".join(["ventes"] * 17000) + " Acme ouvre à Lyon."
    long = Item.objects.for_org(org).create(
        url="https://x.example/long",
        url_key="long",
        title="Rapport annuel",
        text=text,
        full_text_kept=True,
        search_text=search_text("Rapport annuel", text),
        stage=Stage.DONE,
        state=WorkState.DONE,
        collected=START,
    )
    for expression in ("acme NEAR/3 lyon", "lyon NEAR/3 acme"):
        assert [hit.item.pk for hit in archive.search_page(org, expression).hits] == [long.pk]
        assert [hit.item.pk for hit in archive.search(org, expression)] == [long.pk]
    assert archive.search_page(org, "rapport NEAR/3 lyon").hits == []
