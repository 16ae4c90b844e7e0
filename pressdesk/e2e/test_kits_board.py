"""The pitch board on a phone (390 px) and the press kit editor on a laptop (1280 px), with htmx:
an idea moves to the next column, a kit's part moves up, without a page load.
With PRESSDESK_SCREENSHOTS=1 both are saved to docs/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import PageFactory, french, log_in
from pressdesk.e2e.test_releases_flow import DOCS, LAPTOP, PHONE, fits, shoot
from pressdesk.releases import ideas, kits
from pressdesk.releases.models import IdeaState, KitItemKind, StoryIdea
from pressdesk.releases.tests import kits_sample as s

pytestmark = pytest.mark.e2e


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def test_the_board_on_a_phone(
    new_page: PageFactory, org: Organisation, bob: User, out_dir: Path
) -> None:
    bob.language = "fr"
    bob.save()
    apprentice = ideas.save_idea(
        org, None, title="Portrait d’une apprentie soudeuse",
        angle="L’industrie recrute des jeunes femmes", owner=bob, outlets="",
        target_media="PQR", beats=[],
    )  # fmt: skip
    ideas.save_idea(
        org, None, title="Bilan de la première année", angle="", owner=None, outlets="",
        target_media="", beats=[],
    )  # fmt: skip
    tribune = ideas.save_idea(
        org, None, title="Tribune du directeur", angle="", owner=bob, outlets="",
        target_media="", beats=[],
    )  # fmt: skip
    ideas.move(tribune, IdeaState.PITCHED)

    page = new_page("fr-FR")
    page.set_viewport_size(PHONE)
    log_in(page, "bob@example.org")
    page.goto("/o/acme/releases/ideas/")
    card = page.locator(f"#idea-{apprentice.pk}")
    expect(card).to_be_visible()
    fits(page)
    # Columns stack on a phone: the "in preparation" column sits below the "idea" one.
    first = page.locator("#col-idea").bounding_box()
    second = page.locator("#col-preparing").bounding_box()
    assert first and second and second["y"] > first["y"] and abs(second["x"] - first["x"]) < 2
    page.evaluate("window.__sameDocument = true")
    card.get_by_role("button", name="→ " + french("In preparation")).click()
    preparing = page.locator("#col-preparing").locator("xpath=..")
    expect(preparing.locator(f"#idea-{apprentice.pk}")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "htmx swapped the board in place"
    assert StoryIdea.objects.get(pk=apprentice.pk).state == IdeaState.PREPARING
    fits(page)
    shoot(page, out_dir, "ideas-board-phone")
    page.set_viewport_size(LAPTOP)
    fits(page)
    shoot(page, out_dir, "ideas-board")


def test_the_kit_editor_on_a_laptop(
    new_page: PageFactory,
    org: Organisation,
    bob: User,
    out_dir: Path,
    settings: object,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    bob.language = "fr"
    bob.save()
    kit = s.kit(org)
    kits.add_item(kit, KitItemKind.RELEASE, release=s.release(org))
    kits.add_item(kit, KitItemKind.KEY_FIGURES, title="Chiffres clés", text="- 120 emplois")
    quote = kits.add_item(kit, KitItemKind.QUOTE, title="Le mot de la directrice", text="« Oui »")
    kits.add_item(
        kit,
        KitItemKind.ASSET,
        asset=s.asset(org, title="L’usine", caption="L’usine de Tours", credit="© Acme"),
    )

    page = new_page("fr-FR")
    page.set_viewport_size(LAPTOP)
    log_in(page, "bob@example.org")
    page.goto(f"/o/acme/releases/kits/{kit.pk}/")
    parts = page.locator("#kit-parts > li strong")
    expect(parts).to_have_text(
        ["Acme ouvre une usine à Tours", "Chiffres clés", "Le mot de la directrice", "L’usine"]
    )
    page.evaluate("window.__sameDocument = true")
    name = french("Move “%(title)s” up") % {"title": "Le mot de la directrice"}
    page.locator(f"#part-{quote.pk}").get_by_role("button", name=name).click()
    expect(parts).to_have_text(
        ["Acme ouvre une usine à Tours", "Le mot de la directrice", "Chiffres clés", "L’usine"]
    )
    assert page.evaluate("window.__sameDocument === true")
    assert [p.title for p in kits.kit_parts(kit)][1] == "Le mot de la directrice"

    # A fact sheet added through the form lands last.
    page.locator("details.panel summary").click()
    page.locator("#id_kind").select_option("fact_sheet")
    page.locator("#id_title").fill("Fiche : le site de Tours")
    page.locator("#id_text").fill("Un site de **4 hectares**, à 10 minutes de la gare.")
    page.get_by_role("button", name=french("Add"), exact=True).click()
    expect(parts.last).to_have_text("Fiche\u00a0: le site de Tours")
    fits(page)
    shoot(page, out_dir, "kit-editor")
    page.set_viewport_size(PHONE)
    fits(page)
    shoot(page, out_dir, "kit-editor-phone")
