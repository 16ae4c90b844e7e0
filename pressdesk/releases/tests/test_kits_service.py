"""Press kits: embargo to the second, release parts only while public, the ZIP and the PDF."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from pressdesk.accounts.models import Organisation
from pressdesk.releases import kit_export, kits
from pressdesk.releases.models import KitItemKind, PressKit, ReleaseState, kit_public_q
from pressdesk.releases.tests import kits_sample as s

T = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_it_holds_the_kit_until_the_second(org: Organisation) -> None:
    kit = s.kit(org)
    kits.publish_kit(kit, embargo_until=T, by=None, at=T - timedelta(days=1))
    for at, public in ((T - SECOND, False), (T, True), (T + SECOND, True)):
        assert kits.is_public(kit, at) is public
        assert PressKit.objects.for_org(org).filter(kit_public_q(at)).exists() is public
        assert (kits.kit_public_context(kit, at) is not None) is public


def test_a_withdrawn_or_unpublished_kit_is_not_public(org: Organisation) -> None:
    kit = s.kit(org)
    assert kits.kit_public_context(kit, T) is None
    kits.publish_kit(kit, embargo_until=None, by=None, at=T)
    assert kits.kit_public_context(kit, T + SECOND) is not None
    kits.withdraw_kit(kit, by=None)
    assert kits.kit_public_context(kit, T + timedelta(days=1)) is None


def test_it_refuses_an_embargo_in_the_past(org: Organisation) -> None:
    with pytest.raises(kits.KitError):
        kits.publish_kit(s.kit(org), embargo_until=T, by=None, at=T + SECOND)


def test_a_release_part_shows_only_while_that_release_is_public(org: Organisation) -> None:
    lift = T + timedelta(hours=2)
    release = s.release(
        org, state=ReleaseState.SCHEDULED, embargo_until=lift, visible_from=lift, slug="r"
    )
    kit = s.kit(org)
    kits.add_item(kit, KitItemKind.KEY_FIGURES, title="Chiffres clés", text="- 120 emplois")
    kits.add_item(kit, KitItemKind.RELEASE, release=release)
    kits.publish_kit(kit, embargo_until=T, by=None, at=T - SECOND)
    for at, titles in (
        (lift - SECOND, ["Chiffres clés"]),
        (lift, ["Chiffres clés", "Acme ouvre une usine à Tours"]),
        (lift + SECOND, ["Chiffres clés", "Acme ouvre une usine à Tours"]),
    ):
        context = kits.kit_public_context(kit, at)
        assert context is not None
        assert [p.title for p in context["parts"]] == titles
    # A draft release never shows, however late.
    draft = s.release(org, slug="draft")
    kits.add_item(kit, KitItemKind.RELEASE, release=draft)
    context = kits.kit_public_context(kit, lift + timedelta(days=30))
    assert context is not None and draft not in context["releases"]


def test_it_moves_parts_up_and_down(org: Organisation) -> None:
    kit = s.kit(org)
    a = kits.add_item(kit, KitItemKind.FACT_SHEET, title="A", text="a")
    b = kits.add_item(kit, KitItemKind.FACT_SHEET, title="B", text="b")
    c = kits.add_item(kit, KitItemKind.FACT_SHEET, title="C", text="c")
    kits.move_item(c, -1)
    assert [p.title for p in kits.kit_parts(kit)] == ["A", "C", "B"]
    kits.move_item(a, -1)  # already first: nothing moves
    kits.reorder(kit, [b.pk, a.pk])
    assert [p.title for p in kits.kit_parts(kit)] == ["B", "A", "C"]


def test_it_refuses_another_organisations_release(
    org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(kits.KitError):
        kits.add_item(s.kit(org), KitItemKind.RELEASE, release=s.release(other_org))


def test_the_zip_holds_each_asset_once_with_its_credit(org: Organisation, media: None) -> None:
    photo = s.asset(
        org, "Usine à Tours (1).PNG", caption="L’usine", credit="© Jeanne Martin / AFP",
        rights_free_until=datetime(2027, 6, 30).date(),
    )  # fmt: skip
    logo = s.asset(org, "../../etc/logo.png", kind="logo", credit="Acme")
    release = s.release(org)
    release.attachments.create(asset=photo)
    kit = s.kit(org, slug="usine-tours")
    kits.add_item(kit, KitItemKind.RELEASE, release=release)
    kits.add_item(kit, KitItemKind.ASSET, asset=photo)
    kits.add_item(kit, KitItemKind.ASSET, asset=logo)
    data = b"".join(kit_export.zip_chunks(kit, kits.kit_parts(kit), at=T))
    archive = zipfile.ZipFile(BytesIO(data))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == ["LISEZMOI.txt", "images/01-usine-a-tours-1.png", "logos/02-logo.png"]
    assert archive.read("images/01-usine-a-tours-1.png") == s.PNG
    index = archive.read("LISEZMOI.txt").decode("utf-8")
    assert "Dossier de presse\u00a0: Dossier de presse : l’usine de Tours" in index
    assert "Crédit\u00a0: © Jeanne Martin / AFP" in index
    assert "Libre de droits jusqu’au 30 juin 2027" in index
    assert index.count("images/01-usine-a-tours-1.png") == 1


def test_the_zip_index_follows_the_kits_language(org: Organisation, media: None) -> None:
    kit = s.kit(org, language="en")
    kits.add_item(kit, KitItemKind.ASSET, asset=s.asset(org, credit="Acme"))
    archive = zipfile.ZipFile(BytesIO(b"".join(kit_export.zip_chunks(kit, kits.kit_parts(kit)))))
    assert "Credit: Acme" in archive.read("README.txt").decode()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Photo été.JPG", "photo-ete.jpg"),
        ("a\x00b.png", "ab.png"),
        ("", "fichier"),
        (".htaccess", "fichier.htaccess"),
    ],
)
def test_it_makes_safe_file_names(name: str, safe: str) -> None:
    assert kit_export.safe_name(name) == safe


def test_the_pdf_has_a_table_of_contents_in_order(org: Organisation, media: None) -> None:
    release = s.release(org)
    kit = s.kit(org)
    kits.add_item(kit, KitItemKind.RELEASE, release=release)
    kits.add_item(kit, KitItemKind.KEY_FIGURES, title="Chiffres clés", text="**120** emplois")
    kits.add_item(kit, KitItemKind.QUOTE, title="Le mot de la directrice", text="« Un pari »")
    kits.add_item(kit, KitItemKind.ASSET, asset=s.asset(org, caption="L’usine", credit="© A"))
    pdf = kit_export.kit_pdf(kit, kits.kit_parts(kit))
    pages = [p.extract_text() for p in PdfReader(BytesIO(pdf)).pages]
    toc = pages[1]
    entries = [
        "1. Acme ouvre une usine à Tours",
        "2. Chiffres clés",
        "3. Le mot de la directrice",
        "4. L’usine",
    ]
    where = [toc.find(e) for e in entries]
    assert -1 not in where and where == sorted(where), toc
    assert "Sommaire" in toc
    # A release and an image start their own page; short texts follow on; the release keeps
    # its template.
    assert len(pages) == 4
    assert "###" in pages[2] and "Paris, le 26 novembre 2026" in pages[2]
    assert pages[3].startswith("4. L’usine")
