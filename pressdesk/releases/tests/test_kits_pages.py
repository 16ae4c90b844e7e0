"""Press kit pages: list, create, settings, parts (add, move, remove), publish, withdraw."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.releases import kits
from pressdesk.releases.models import KitItemKind, PressKit
from pressdesk.releases.tests import kits_sample as s

BASE = "/o/acme/releases/kits/"


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_it_lists_kits_and_says_what_they_are_for(as_vera: Client, org: Organisation) -> None:
    assert "A press kit gathers" in as_vera.get(BASE).content.decode()
    s.kit(org, title="Salon de l’auto")
    body = as_vera.get(BASE).content.decode()
    assert "Salon de l’auto" in body and "Not published" in body
    assert "New press kit" not in body


def test_it_creates_a_kit(as_bob: Client, org: Organisation) -> None:
    assert as_bob.get(BASE + "new/").status_code == 200
    r = as_bob.post(
        BASE + "new/", {"title": "Usine de Tours", "language": "fr-FR", "intro": "Le *projet*"}
    )
    kit = PressKit.objects.get(org=org)
    assert r["Location"] == f"{BASE}{kit.pk}/"
    assert (kit.slug, kit.intro_html.strip()) == ("usine-de-tours", "<p>Le <em>projet</em></p>")


def test_it_edits_the_settings(as_bob: Client, org: Organisation) -> None:
    kit = s.kit(org)
    url = f"{BASE}{kit.pk}/settings/"
    assert as_bob.get(url).status_code == 200
    r = as_bob.post(url, {"title": "Nouveau titre", "language": "en", "event_id": "12"})
    assert r.status_code == 302
    kit.refresh_from_db()
    assert (kit.title, kit.language, kit.event_id) == ("Nouveau titre", "en", 12)


def test_it_adds_parts_of_each_kind(as_bob: Client, org: Organisation, media: None) -> None:
    kit = s.kit(org)
    release = s.release(org)
    url = f"{BASE}{kit.pk}/parts/"
    as_bob.post(url, {"kind": "release", "release": release.pk})
    as_bob.post(url, {"kind": "key_figures", "title": "Chiffres clés", "text": "- 120 emplois"})
    upload = SimpleUploadedFile("usine.png", s.PNG, content_type="image/png")
    r = as_bob.post(
        url,
        {
            "kind": "asset", "file": upload, "alt_text": "L’usine vue du ciel",
            "caption": "L’usine", "credit": "© Acme", "rights_free_until": "2027-06-30",
        },
    )  # fmt: skip
    assert r.status_code == 302
    titles = [p.title for p in kits.kit_parts(kit)]
    assert titles == ["Acme ouvre une usine à Tours", "Chiffres clés", "L’usine"]
    asset = kits.kit_parts(kit)[2].item.asset
    assert asset is not None and asset.credit == "© Acme"
    body = as_bob.get(f"{BASE}{kit.pk}/").content.decode()
    assert "© Acme" in body


def test_it_says_what_a_part_lacks(as_bob: Client, org: Organisation) -> None:
    kit = s.kit(org)
    r = as_bob.post(f"{BASE}{kit.pk}/parts/", {"kind": "quote", "title": "Citation"})
    assert r.status_code == 400
    assert "Write the text of this part." in r.content.decode()
    upload = SimpleUploadedFile("x.png", s.PNG, content_type="image/png")
    r = as_bob.post(f"{BASE}{kit.pk}/parts/", {"kind": "asset", "file": upload})
    assert "Describe the image" in r.content.decode()
    assert not kit.items.exists()


def test_it_refuses_another_organisations_release(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    kit = s.kit(org)
    theirs = s.release(other_org)
    r = as_bob.post(f"{BASE}{kit.pk}/parts/", {"kind": "release", "release": theirs.pk})
    assert r.status_code == 400
    assert not kit.items.exists()


def test_it_moves_and_removes_parts(as_bob: Client, org: Organisation) -> None:
    kit = s.kit(org)
    a = kits.add_item(kit, KitItemKind.FACT_SHEET, title="A", text="a")
    b = kits.add_item(kit, KitItemKind.FACT_SHEET, title="B", text="b")
    r = as_bob.post(f"{BASE}{kit.pk}/parts/{b.pk}/move/", {"direction": "up"})
    assert r["Location"] == f"{BASE}{kit.pk}/#kit-parts"
    assert [p.title for p in kits.kit_parts(kit)] == ["B", "A"]
    as_bob.post(f"{BASE}{kit.pk}/parts/{a.pk}/remove/")
    assert [p.title for p in kits.kit_parts(kit)] == ["B"]


def test_a_part_of_another_kit_is_not_found(as_bob: Client, org: Organisation) -> None:
    kit, other = s.kit(org), s.kit(org)
    part = kits.add_item(other, KitItemKind.FACT_SHEET, title="A", text="a")
    assert as_bob.post(f"{BASE}{kit.pk}/parts/{part.pk}/remove/").status_code == 404
    assert other.items.count() == 1


def test_a_director_publishes_under_embargo_and_withdraws(
    as_alice: Client, org: Organisation
) -> None:
    kit = s.kit(org)
    r = as_alice.post(f"{BASE}{kit.pk}/publish/", {"embargo_until": "2099-03-01T10:00"})
    assert r.status_code == 302
    kit.refresh_from_db()
    assert kit.published and kit.visible_from == kit.embargo_until
    assert kit.embargo_until is not None and kit.embargo_until.hour == 9  # 10:00 in Paris (CET)
    assert "Under embargo until" in as_alice.get(f"{BASE}{kit.pk}/").content.decode()
    as_alice.post(f"{BASE}{kit.pk}/withdraw/")
    kit.refresh_from_db()
    assert kit.withdrawn_at is not None and not kits.is_public(kit)
    actions = list(AuditEntry.objects.filter(org=org).values_list("action", flat=True))
    assert {"kit.publish", "kit.withdraw"} <= set(actions)


def test_only_a_director_publishes(as_bob: Client, as_vera: Client, org: Organisation) -> None:
    kit = s.kit(org)
    for client in (as_bob, as_vera):
        assert client.post(f"{BASE}{kit.pk}/publish/", {}).status_code == 403
        assert client.post(f"{BASE}{kit.pk}/withdraw/").status_code == 403
    kit.refresh_from_db()
    assert not kit.published


def test_a_viewer_reads_but_cannot_edit(as_vera: Client, org: Organisation) -> None:
    kit = s.kit(org)
    part = kits.add_item(kit, KitItemKind.FACT_SHEET, title="A", text="a")
    body = as_vera.get(f"{BASE}{kit.pk}/").content.decode()
    assert "Add a part" not in body and "ZIP of all files" not in body
    assert as_vera.get(BASE + "new/").status_code == 403
    assert as_vera.get(f"{BASE}{kit.pk}/settings/").status_code == 403
    assert as_vera.post(f"{BASE}{kit.pk}/parts/", {"kind": "quote"}).status_code == 403
    assert as_vera.post(f"{BASE}{kit.pk}/parts/{part.pk}/remove/").status_code == 403
    assert kit.items.count() == 1


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    kit = s.kit(org)
    assert as_charlie.get(f"{BASE}{kit.pk}/").status_code == 404
    assert as_charlie.get(BASE).status_code == 404


def test_it_rejects_wrong_methods(as_bob: Client, org: Organisation) -> None:
    kit = s.kit(org)
    assert as_bob.get(f"{BASE}{kit.pk}/parts/").status_code == 405
    assert as_bob.put(f"{BASE}{kit.pk}/").status_code == 405


def test_it_edits_a_parts_words_and_an_images_credit(
    as_bob: Client, org: Organisation, media: None
) -> None:
    kit = s.kit(org)
    quote = kits.add_item(kit, KitItemKind.QUOTE, title="Citation", text="« Un pari »")
    photo = kits.add_item(kit, KitItemKind.ASSET, asset=s.asset(org, credit="© Acme"))
    url = f"{BASE}{kit.pk}/parts/{quote.pk}/edit/"
    assert "Un pari" in as_bob.get(url).content.decode()
    r = as_bob.post(url, {"title": "Le mot de la directrice", "text": "Nous y croyons !"})
    assert r["Location"] == f"{BASE}{kit.pk}/#kit-parts"
    quote.refresh_from_db()
    assert quote.title == "Le mot de la directrice"
    assert "croyons\u202f!" in quote.body_html or "croyons\u00a0!" in quote.body_html
    r = as_bob.post(
        f"{BASE}{kit.pk}/parts/{photo.pk}/edit/",
        {"title": "", "caption": "L’usine", "credit": "© Jeanne Martin / AFP", "alt_text": "Usine"},
    )
    assert r.status_code == 302
    assert photo.asset is not None
    photo.asset.refresh_from_db()
    assert photo.asset.credit == "© Jeanne Martin / AFP"
    r = as_bob.post(url, {"title": "Vide", "text": " "})
    assert "Write the text of this part." in r.content.decode()


def test_it_flags_an_image_whose_rights_have_expired(
    as_bob: Client, org: Organisation, media: None
) -> None:
    from datetime import date

    kit = s.kit(org)
    kits.add_item(kit, KitItemKind.ASSET, asset=s.asset(org, rights_free_until=date(2020, 1, 1)))
    assert "rights expired" in as_bob.get(f"{BASE}{kit.pk}/").content.decode()


def test_a_viewer_cannot_edit_a_part(as_vera: Client, org: Organisation) -> None:
    kit = s.kit(org)
    part = kits.add_item(kit, KitItemKind.QUOTE, title="A", text="a")
    url = f"{BASE}{kit.pk}/parts/{part.pk}/edit/"
    assert as_vera.get(url).status_code == 403
    assert as_vera.post(url, {"title": "B", "text": "b"}).status_code == 403
