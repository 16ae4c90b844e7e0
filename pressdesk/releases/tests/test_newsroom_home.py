"""The newsroom's home: the list of public releases, search, topics, languages, pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import Newsroom, ReleaseState, Topic
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db


def test_it_lists_public_releases_newest_first(client: Client, org: Organisation) -> None:
    now = timezone.now()
    release(org, "Ancien communiqué", slug="ancien", visible_from=now - timedelta(days=2))
    release(org, "Nouveau communiqué", slug="nouveau", visible_from=now - timedelta(hours=1))
    response = client.get("/newsroom/acme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Nouveau communiqué") < html.index("Ancien communiqué")
    assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html
    assert response["Cache-Control"] == "public, no-cache"


def test_it_leaves_out_drafts_embargoed_and_withdrawn(client: Client, org: Organisation) -> None:
    release(org, "Brouillon secret", state=ReleaseState.DRAFT)
    release(org, "Sous embargo", visible_from=timezone.now() + timedelta(minutes=5))
    release(org, "Retiré", state=ReleaseState.WITHDRAWN)
    html = client.get("/newsroom/acme/").content.decode()
    for title in ("Brouillon secret", "Sous embargo", "Retiré"):
        assert title not in html


def test_it_searches_accents_and_elisions_aside(client: Client, org: Organisation) -> None:
    release(org, "Acme ouvre une école d’ingénieurs", slug="ecole")
    release(org, "Résultats annuels", slug="resultats", lead="Chiffre d’affaires en hausse")
    html = client.get("/newsroom/acme/", {"q": "ECOLE ingenieurs"}).content.decode()
    assert "école" in html and "Résultats annuels" not in html
    html = client.get("/newsroom/acme/", {"q": "affaires"}).content.decode()
    assert "Résultats annuels" in html and "école d’ingénieurs" not in html


def test_it_filters_by_topic(client: Client, org: Organisation) -> None:
    energy = Topic.objects.for_org(org).create(name="Énergie", slug="energie")
    release(org, "Sur l’énergie", slug="e", topics=[energy])
    release(org, "Sur autre chose", slug="a")
    html = client.get("/newsroom/acme/", {"topic": "energie"}).content.decode()
    assert "Sur l’énergie" in html and "Sur autre chose" not in html


def test_it_pages_twenty_at_a_time(client: Client, org: Organisation) -> None:
    now = timezone.now()
    for n in range(25):
        release(org, f"Numéro {n:02d}", slug=f"n{n}", visible_from=now - timedelta(minutes=n + 1))
    first = client.get("/newsroom/acme/").content.decode()
    second = client.get("/newsroom/acme/", {"page": 2}).content.decode()
    assert "Numéro 00" in first and "Numéro 24" not in first
    assert "Numéro 24" in second and 'rel="prev"' in second


def test_it_has_a_list_per_language(client: Client, org: Organisation) -> None:
    release(org, "En français", slug="fr")
    release(org, "In English", slug="en", template="en")
    fr = client.get("/newsroom/acme/").content.decode()
    en = client.get("/newsroom/acme/", {"lang": "en"}).content.decode()
    assert "En français" in fr and "In English" not in fr
    assert "In English" in en and "En français" not in en
    assert 'hreflang="en"' in fr and '<html lang="en">' in en


def test_it_answers_404_when_the_newsroom_is_off(client: Client, org: Organisation) -> None:
    Newsroom.objects.for_org(org).create(enabled=False)
    release(org, "Public")
    response = client.get("/newsroom/acme/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_it_answers_404_for_an_unknown_organisation(client: Client, org: Organisation) -> None:
    assert client.get("/newsroom/nobody/").status_code == 404


def test_it_refuses_post(client: Client, org: Organisation) -> None:
    assert client.post("/newsroom/acme/").status_code == 405


def test_it_shows_no_markup_from_a_title(client: Client, org: Organisation) -> None:
    release(org, "<script>alert(1)</script>", slug="x", lead="<img src=x onerror=alert(1)>")
    html = client.get("/newsroom/acme/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
