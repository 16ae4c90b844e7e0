"""A release from draft to schedule in the browser: a press officer writes it (the live count
warns), submits it; the director, on a phone, approves the exact version and schedules it.
With PRESSDESK_SCREENSHOTS=1 the editor and the review page are saved to docs/screenshots/."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils.timezone import localdate
from playwright.sync_api import Page, ViewportSize, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import PageFactory, french, log_in
from pressdesk.releases import services
from pressdesk.releases.models import Release, ReleaseState

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}

BODY = """\
Le parc solaire de Montlouis-sur-Loire produit ses premiers kilowattheures depuis le 2 mars.
Ses 18 000 panneaux fourniront chaque année l'électricité de 6 500 foyers.

> "Ce parc appartient à ceux qui l'ont financé", souligne la directrice.

Visite publique le samedi 14 mars à 10h30 ; inscription sur le site de la coopérative."""


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("PRESSDESK_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        return DOCS
    return tmp_path


def fits(page: Page) -> None:
    """No horizontal overflow at the current width."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page: Page, out_dir: Path, name: str) -> None:
    page.screenshot(path=out_dir / f"{name}.png", full_page=True, animations="disabled")


def test_draft_review_approve_on_a_phone_and_schedule(
    new_page: PageFactory, org: Organisation, alice: User, bob: User, out_dir: Path
) -> None:
    for user in (alice, bob):
        user.language = "fr"
        user.save()
    services.save_boilerplate(
        org, "fr-FR", "Acme Énergie produit une électricité renouvelable.", "Bob\n01", by=alice
    )

    # The press officer writes the release.
    officer = new_page("fr-FR")
    officer.set_viewport_size(LAPTOP)
    log_in(officer, "bob@example.org")
    officer.goto("/o/acme/releases/new/")
    officer.locator("#id_title").fill("Le parc solaire de Montlouis entre en service")
    officer.locator("#id_template").select_option("fr-FR")
    officer.locator("main form button[type=submit]").click()
    officer.wait_for_url("**/edit/")
    count = officer.locator("#char-count")
    expect(count).to_have_class("char-count warn")  # a title alone is far from a page
    officer.locator("#id_lead").fill("Le plus grand parc solaire citoyen de Touraine produit.")
    officer.locator("#id_body").fill(BODY)
    before = int(count.locator("[data-count]").inner_text())
    officer.locator("#id_body").press("End")
    officer.locator("#id_body").type(" Encore.")
    expect(count.locator("[data-count]")).to_have_text(str(before + len(" Encore.")))
    officer.get_by_role("button", name=french("Save a new version")).click()
    expect(officer.locator(".messages")).to_contain_text("version 2")
    fits(officer)
    shoot(officer, out_dir, "release-editor")
    officer.set_viewport_size(PHONE)
    fits(officer)
    shoot(officer, out_dir, "release-editor-phone")
    officer.set_viewport_size(LAPTOP)
    officer.get_by_role("link", name=french("Preview")).first.click()
    officer.get_by_role("button", name=french("Submit for review")).click()
    release = Release.objects.for_org(org).get()
    assert release.state == ReleaseState.IN_REVIEW

    # The director reads the exact version on her phone and approves it.
    director = new_page("fr-FR")
    director.set_viewport_size(PHONE)
    log_in(director, "alice@example.org")
    director.goto(f"/o/acme/releases/{release.pk}/review/")
    expect(director.locator(".release-preview")).to_contain_text("Communiqué de presse")
    expect(director.locator(".release-preview")).to_contain_text("10\u00a0h\u00a030")
    fits(director)
    shoot(director, out_dir, "release-review-phone")
    director.set_viewport_size(LAPTOP)
    shoot(director, out_dir, "release-review")
    director.set_viewport_size(PHONE)
    director.get_by_role("button", name=french("Approve this version")).click()
    expect(director.locator(".messages")).to_contain_text(french("Signed off."))
    release.refresh_from_db()
    assert release.state == ReleaseState.APPROVED
    assert release.approved_version_id == release.current_version_id

    # Then schedules it under embargo, in the organisation's time zone.
    day = localdate() + timedelta(days=3)
    director.locator("#id_day").fill(day.isoformat())
    director.locator("#id_at").fill("10:00")
    director.get_by_role("button", name=french("Schedule under embargo")).click()
    expect(director.locator(".messages")).to_contain_text(
        french("Scheduled: public from the end of the embargo.")
    )
    fits(director)
    release.refresh_from_db()
    assert release.state == ReleaseState.SCHEDULED
    assert release.embargo_until is not None and not release.is_public()
