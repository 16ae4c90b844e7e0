"""What the newsroom keeps between requests never outlives an embargo or a withdrawal; feed
readers asking again with the ETag they were given get a 304; a big sitemap comes in pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from defusedxml import ElementTree
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases import feeds
from pressdesk.releases.models import Release, ReleaseState
from pressdesk.releases.newsroom_cache import MAX_AGE, stamp
from pressdesk.releases.newsroom_site import site_for
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)
T = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 in Paris, the first minute of summer time
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PATHS = ("", "rss.xml", "atom.xml", "sitemap.xml", "?q=fusion")


def _freeze(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)


def _shows(client: Client, slug: str) -> dict[str, bool]:
    """Where the release's address appears: list, search, feeds and sitemap."""
    return {
        path: f"/newsroom/acme/{slug}/" in client.get(f"/newsroom/acme/{path}").content.decode()
        for path in PATHS
    }


def test_a_kept_answer_never_outlives_the_embargo(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    release(org, "Déjà public", slug="old", visible_from=T - timedelta(days=1))
    release(org, "Fusion annoncée", slug="fusion", visible_from=T, state=ReleaseState.SCHEDULED)
    _freeze(monkeypatch, T - SECOND)
    assert not any(_shows(client, "fusion").values())
    assert not any(_shows(client, "fusion").values())  # served again, kept or not
    _freeze(monkeypatch, T)
    assert all(_shows(client, "fusion").values())
    # Built at T and kept: back at T − 1 s it must not be served.
    _freeze(monkeypatch, T - SECOND)
    assert not any(_shows(client, "fusion").values())


def test_the_next_instant_bounds_how_long_an_answer_is_kept(org: Organisation) -> None:
    release(org, "Déjà public", slug="old", visible_from=T - timedelta(days=1))
    release(org, "Fusion", slug="fusion", visible_from=T, state=ReleaseState.SCHEDULED)
    site = site_for("acme")
    assert site is not None
    before = stamp(site, T - 10 * SECOND)
    assert before.next_instant == T
    assert before.seconds_left(T - 10 * SECOND) == 10
    assert stamp(site, T - SECOND).key == before.key
    after = stamp(site, T)
    assert after.key != before.key and after.next_instant is None
    assert after.seconds_left(T) == MAX_AGE


def test_a_withdrawal_is_seen_at_once(client: Client, org: Organisation) -> None:
    r = release(org, "Fusion annoncée", slug="fusion")
    release(org, "Un autre", slug="other", visible_from=timezone.now() - timedelta(days=2))
    assert all(_shows(client, "fusion").values())
    Release.objects.for_org(org).filter(pk=r.pk).update(
        state=ReleaseState.WITHDRAWN, updated=timezone.now()
    )
    assert not any(_shows(client, "fusion").values())
    assert client.get("/newsroom/acme/fusion/").status_code == 404


def test_feed_readers_get_a_304_until_something_changes(client: Client, org: Organisation) -> None:
    release(org, "Premier", slug="first", visible_from=timezone.now() - timedelta(hours=2))
    for path in ("rss.xml", "atom.xml", "sitemap.xml", "", "first/"):
        first = client.get(f"/newsroom/acme/{path}")
        etag = first["ETag"]
        assert etag and first["Last-Modified"]
        again = client.get(f"/newsroom/acme/{path}", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
    etag = client.get("/newsroom/acme/rss.xml")["ETag"]
    release(org, "Second", slug="second")
    changed = client.get("/newsroom/acme/rss.xml", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and b"Second" in changed.content


def test_a_404_is_never_kept_nor_given_an_etag(client: Client, org: Organisation) -> None:
    release(org, "Fusion", slug="fusion", visible_from=timezone.now() + timedelta(days=1))
    response = client.get("/newsroom/acme/fusion/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store" and not response.has_header("ETag")


def test_a_big_sitemap_is_an_index_of_pages(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feeds, "SITEMAP_PAGE", 2)
    for n in range(5):
        release(org, f"Communiqué {n}", slug=f"c{n}", visible_from=T - timedelta(days=5 - n))
    release(org, "Fusion", slug="fusion", visible_from=T, state=ReleaseState.SCHEDULED)

    def listed() -> list[str]:
        index = ElementTree.fromstring(client.get("/newsroom/acme/sitemap.xml").content)
        assert index.tag == f"{NS}sitemapindex"
        locs = []
        for entry in index.findall(f"{NS}sitemap"):
            assert datetime.fromisoformat(entry.findtext(f"{NS}lastmod") or "")
            page = (entry.findtext(f"{NS}loc") or "").split("/newsroom/")[1]
            root = ElementTree.fromstring(client.get(f"/newsroom/{page}").content)
            locs += [u.findtext(f"{NS}loc") or "" for u in root.findall(f"{NS}url")]
        return locs

    _freeze(monkeypatch, T - SECOND)
    before = listed()
    assert sum(bool(re.search(r"/newsroom/acme/c\d/$", loc)) for loc in before) == 5
    assert not any(loc.endswith("/fusion/") for loc in before)
    _freeze(monkeypatch, T)
    assert sum(loc.endswith("/fusion/") for loc in listed()) == 1
    assert client.get("/newsroom/acme/sitemap-9.xml").status_code == 404
    assert client.get("/newsroom/acme/sitemap-0.xml").status_code == 404


def test_made_up_parameters_share_the_kept_answer(client: Client, org: Organisation) -> None:
    release(org, "Premier", slug="first")
    one = client.get("/newsroom/acme/", {"utm_source": "x" * 300})
    two = client.get("/newsroom/acme/", {"utm_source": "y"})
    assert one["ETag"] == two["ETag"] == client.get("/newsroom/acme/")["ETag"]
    assert client.get("/newsroom/acme/", {"lang": "en"})["ETag"] != one["ETag"]
