"""A public release page: text, images with caption and credit, downloads, OpenGraph, JSON-LD."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import AssetKind
from pressdesk.releases.tests.newsroom_data import image, release

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def test_it_shows_the_release_with_its_images_and_metadata(
    client: Client, org: Organisation
) -> None:
    r = release(org, "Acme ouvre une école", slug="ecole")
    picture = image(org, r)
    response = client.get("/newsroom/acme/ecole/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Acme ouvre une école</h1>" in html and html.count("<h1") == 1
    assert "Le corps du communiqué." in html
    assert 'alt="Des étudiants devant l’école"' in html
    assert "La première promotion" in html and "© Jeanne Martin" in html
    assert f"/newsroom/acme/files/{picture.pk}/photo.png" in html
    assert '<meta property="og:title" content="Acme ouvre une école">' in html
    assert 'property="og:image" content="http' in html
    assert '<html lang="fr">' in html
    data = _json_ld(html)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Acme ouvre une école"
    assert data["inLanguage"] == "fr-FR"
    assert data["publisher"] == {"@type": "Organization", "name": "Acme Énergie"}
    assert str(data["datePublished"]).startswith(str(r.visible_from.year))
    assert data["dateModified"] and data["image"]


def test_it_lists_downloads(client: Client, org: Organisation) -> None:
    r = release(org, slug="doc")
    image(org, r, kind=AssetKind.DOCUMENT, filename="dossier.pdf", title="Le dossier")
    html = client.get("/newsroom/acme/doc/").content.decode()
    assert "Le dossier" in html and "download" in html


def test_it_keeps_markup_out_of_the_page(client: Client, org: Organisation) -> None:
    r = release(
        org,
        "</script><script>alert(1)</script>",
        slug="x",
        body_html='<p>ok</p><script>alert(2)</script><img src=x onerror="alert(3)">',
        lead="</script><b>lead</b>",
    )
    image(org, r, caption="<script>alert(4)</script>", credit="<b>c</b>", alt_text='" onload="x')
    html = client.get("/newsroom/acme/x/").content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html and 'onload="x' not in html
    assert "<b>c</b>" not in html and "<b>lead</b>" not in html
    # The JSON-LD keeps the title as data, and cannot be closed from inside.
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script and "</script" not in script.group(1)
    assert _json_ld(html)["headline"] == "</script><script>alert(1)</script>"


def test_it_answers_404_before_the_instant(client: Client, org: Organisation) -> None:
    release(org, slug="later", visible_from=timezone.now() + timedelta(seconds=30))
    response = client.get("/newsroom/acme/later/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"


def test_it_answers_404_for_another_organisations_release(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    release(other_org, slug="theirs")
    assert client.get("/newsroom/acme/theirs/").status_code == 404
    assert client.get("/newsroom/other/theirs/").status_code == 200


def test_it_refuses_post(client: Client, org: Organisation) -> None:
    release(org, slug="x")
    assert client.post("/newsroom/acme/x/").status_code == 405


def test_it_links_a_public_translation(client: Client, org: Organisation) -> None:
    fr = release(org, "En français", slug="fr")
    en = release(org, "In English", slug="en", template="en")
    fr.translation = en
    fr.save()
    html = client.get("/newsroom/acme/fr/").content.decode()
    assert 'hreflang="en" href="/newsroom/acme/en/"' in html
    en_page = client.get("/newsroom/acme/en/").content.decode()
    assert '<html lang="en">' in en_page and "Press release" in en_page
