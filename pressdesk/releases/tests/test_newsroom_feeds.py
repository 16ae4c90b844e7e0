"""RSS, Atom, sitemap and robots.txt: they parse, validate structurally and name only what is
public."""

from __future__ import annotations

import email.utils
from datetime import datetime, timedelta

import feedparser
import pytest
from defusedxml import ElementTree
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import Newsroom
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_it_serves_rss_2_that_parses_cleanly(client: Client, org: Organisation) -> None:
    release(org, "Résultats & perspectives <2026>", slug="res")
    response = client.get("/newsroom/acme/rss.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.version == "rss20"
    entry = parsed.entries[0]
    assert entry.title == "Résultats & perspectives <2026>"
    assert entry.link == "http://testserver/newsroom/acme/res/" or entry.link.endswith(
        "/newsroom/acme/res/"
    )
    assert entry.link.startswith("http")
    assert entry.id == entry.link
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel is not None
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    item = channel.find("item")
    assert item is not None
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate") or "")
    assert item.find("guid") is not None


def test_it_serves_atom_1_that_parses_cleanly(client: Client, org: Organisation) -> None:
    release(org, "Nouvelles", slug="n")
    response = client.get("/newsroom/acme/atom.xml")
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.version == "atom10"
    root = ElementTree.fromstring(response.content)
    for required in ("id", "title", "updated"):
        assert root.findtext(ATOM + required)
    entry = root.find(ATOM + "entry")
    assert entry is not None
    for required in ("id", "title", "updated"):
        assert entry.findtext(ATOM + required)
    datetime.fromisoformat(entry.findtext(ATOM + "updated") or "")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None or entry.find(ATOM + "author")


def test_it_keeps_markup_out_of_the_feeds(client: Client, org: Organisation) -> None:
    release(org, "<script>alert(1)</script>", slug="x", lead="<img src=x onerror=alert(1)>")
    for kind in ("rss", "atom"):
        raw = client.get(f"/newsroom/acme/{kind}.xml").content.decode()
        assert "<script>" not in raw and "<img" not in raw
        parsed = feedparser.parse(raw)
        assert not parsed.bozo


def test_it_lists_public_releases_in_the_sitemap(client: Client, org: Organisation) -> None:
    release(org, slug="out")
    release(org, slug="soon", visible_from=timezone.now() + timedelta(hours=1))
    response = client.get("/newsroom/acme/sitemap.xml")
    root = ElementTree.fromstring(response.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [u.findtext(ns + "loc") for u in root.findall(ns + "url")]
    assert any(loc and loc.endswith("/newsroom/acme/out/") for loc in locs)
    assert not any(loc and "soon" in loc for loc in locs)
    assert all(loc and loc.startswith("http") for loc in locs)
    for url in root.findall(ns + "url"):
        assert datetime.fromisoformat(url.findtext(ns + "lastmod") or "")


def test_robots_names_every_online_newsroom_with_releases(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    release(org, slug="a")
    release(other_org, slug="b")
    Newsroom.objects.for_org(other_org).create(enabled=False)
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: " in text and "/newsroom/acme/sitemap.xml" in text
    assert "/newsroom/other/" not in text
    assert "Disallow: /o/" in text


def test_the_feeds_answer_404_when_the_newsroom_is_off(client: Client, org: Organisation) -> None:
    Newsroom.objects.for_org(org).create(enabled=False)
    for path in ("rss.xml", "atom.xml", "sitemap.xml", "theme.css", "contacts/"):
        assert client.get(f"/newsroom/acme/{path}").status_code == 404
