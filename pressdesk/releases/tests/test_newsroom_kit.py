"""A press kit's public page: only while the kit is public, release parts only while public."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
from pressdesk.releases.models import KitItemKind, PressKit, PressKitItem
from pressdesk.releases.tests.newsroom_data import image, release

pytestmark = pytest.mark.django_db


def _kit(org: Organisation, visible_from: object) -> PressKit:
    return PressKit.objects.for_org(org).create(
        title="Dossier de presse : le parc éolien",
        slug="parc",
        published=True,
        visible_from=visible_from,
        intro_html="<p>Tout sur le parc.</p><script>alert(1)</script>",
    )


def test_it_shows_a_public_kit_without_its_embargoed_parts(
    client: Client, org: Organisation
) -> None:
    kit = _kit(org, timezone.now() - timedelta(hours=1))
    out = release(org, "Le parc produit", slug="out")
    later = release(
        org, "Fusion secrète", slug="later", visible_from=timezone.now() + timedelta(days=1)
    )
    photo = image(org, caption="Vue aérienne", credit="© Studio")
    PressKitItem.objects.create(kit=kit, position=0, kind=KitItemKind.RELEASE, release=out)
    PressKitItem.objects.create(kit=kit, position=1, kind=KitItemKind.RELEASE, release=later)
    PressKitItem.objects.create(kit=kit, position=2, kind=KitItemKind.ASSET, asset=photo)
    PressKitItem.objects.create(
        kit=kit, position=3, kind=KitItemKind.KEY_FIGURES, title="Chiffres", body_html="<p>71</p>"
    )
    response = client.get("/newsroom/acme/kits/parc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le parc produit" in html and "Fusion secrète" not in html
    assert "Vue aérienne" in html and "© Studio" in html and "<p>71</p>" in html
    assert "<script>alert" not in html
    assert client.get(f"/newsroom/acme/files/{photo.pk}/photo.png").status_code == 200
    assert "/newsroom/acme/kits/parc/" in client.get("/newsroom/acme/sitemap.xml").content.decode()
    assert "/newsroom/acme/kits/parc/" in client.get("/newsroom/acme/").content.decode()


def test_it_answers_404_before_the_kit_is_public(client: Client, org: Organisation) -> None:
    kit = _kit(org, timezone.now() + timedelta(minutes=1))
    photo = image(org)
    PressKitItem.objects.create(kit=kit, position=0, kind=KitItemKind.ASSET, asset=photo)
    response = client.get("/newsroom/acme/kits/parc/")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    assert client.get(f"/newsroom/acme/files/{photo.pk}/photo.png").status_code == 404
    assert "kits/parc" not in client.get("/newsroom/acme/sitemap.xml").content.decode()


def test_it_answers_404_for_a_withdrawn_kit(client: Client, org: Organisation) -> None:
    kit = _kit(org, timezone.now() - timedelta(hours=1))
    kit.withdrawn_at = timezone.now()
    kit.save()
    assert client.get("/newsroom/acme/kits/parc/").status_code == 404


def test_it_refuses_post(client: Client, org: Organisation) -> None:
    _kit(org, timezone.now() - timedelta(hours=1))
    assert client.post("/newsroom/acme/kits/parc/").status_code == 405
