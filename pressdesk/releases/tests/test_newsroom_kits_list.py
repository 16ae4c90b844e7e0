"""The newsroom's list of press kits: only public kits, the embargo held to the second, a link
in the newsroom's navigation while there is a kit to show, and a place in the sitemap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases import kits as kit_service
from pressdesk.releases.models import PressKit
from pressdesk.releases.tests.newsroom_data import image, release

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)
T = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # the second 02:30 in Paris (winter time again)
URL = "/newsroom/acme/kits/"


def _kit(
    org: Organisation, title: str, slug: str, visible_from: datetime, **fields: object
) -> PressKit:
    return PressKit.objects.for_org(org).create(
        title=title,
        slug=slug,
        published=True,
        visible_from=visible_from,
        embargo_until=visible_from,
        intro_html="<p>Chiffres clés, photos <b>libres de droits</b> et contacts.</p>",
        **fields,
    )


def _freeze(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)


def test_it_lists_public_kits_newest_first(client: Client, org: Organisation) -> None:
    now = timezone.now()
    cover = image(org, alt_text="Le parc au lever du jour")
    _kit(org, "Dossier : le parc éolien", "parc", now - timedelta(days=2), cover=cover)
    _kit(org, "Dossier : l’usine de Tours", "usine", now - timedelta(days=1))
    _kit(org, "Dossier : la fusion", "fusion", now + timedelta(days=1))
    draft = _kit(org, "Dossier : brouillon", "brouillon", now - timedelta(days=3))
    draft.published = False
    draft.save()
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"
    html = response.content.decode()
    assert html.index("l’usine de Tours") < html.index("le parc éolien")
    assert "la fusion" not in html and "brouillon" not in html
    assert "libres de droits" in html and "<b>" not in html  # the intro as plain words
    assert 'alt="Le parc au lever du jour"' in html
    assert client.get(f"/newsroom/acme/files/{cover.pk}/photo.png").status_code == 200


def test_it_holds_the_embargo_to_the_second(
    client: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kit(org, "Dossier : la fusion", "fusion", T)
    release(org, "Un communiqué déjà public", slug="public", visible_from=T - timedelta(days=1))
    seen = {}
    for label, at in (("before", T - SECOND), ("at", T), ("after", T + SECOND)):
        _freeze(monkeypatch, at)
        listed = client.get(URL).content.decode()
        home = client.get("/newsroom/acme/").content.decode()
        sitemap = client.get("/newsroom/acme/sitemap.xml").content.decode()
        seen[label] = (
            "la fusion" in listed,
            f'href="{URL}' in home,  # the navigation's link
            "/newsroom/acme/kits/fusion/" in sitemap,
            "/newsroom/acme/kits/</loc>" in sitemap,
        )
    assert seen["before"] == (False, False, False, False)
    assert seen["at"] == (True, True, True, True)
    assert seen["after"] == (True, True, True, True)


def test_a_withdrawn_kit_leaves_the_list_at_once(client: Client, org: Organisation) -> None:
    kit = _kit(org, "Dossier : le parc éolien", "parc", timezone.now() - timedelta(days=2))
    _kit(org, "Dossier : l’usine de Tours", "usine", timezone.now() - timedelta(days=1))
    assert "le parc éolien" in client.get(URL).content.decode()  # now kept under the stamp
    kit_service.withdraw_kit(kit, by=None)
    assert "le parc éolien" not in client.get(URL).content.decode()
    assert client.get("/newsroom/acme/kits/parc/").status_code == 404


def test_it_says_when_there_is_no_kit(client: Client, org: Organisation) -> None:
    release(org, slug="public")
    response = client.get(URL)
    assert response.status_code == 200
    assert "No press kit has been published yet." in response.content.decode() or (
        "Aucun dossier de presse" in response.content.decode()
    )
    assert f'href="{URL}' not in client.get("/newsroom/acme/").content.decode()


def test_it_keeps_other_organisations_kits_out(
    client: Client, org: Organisation, other_org: Organisation
) -> None:
    _kit(other_org, "Dossier secret d’une autre", "secret", timezone.now() - timedelta(days=1))
    assert "Dossier secret" not in client.get(URL).content.decode()


def test_it_refuses_post(client: Client, org: Organisation) -> None:
    assert client.post(URL).status_code == 405
