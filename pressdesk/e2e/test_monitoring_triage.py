"""A press officer triages the clippings inbox: relevant or irrelevant, tone, tags and a note,
without leaving the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Organisation, User
from pressdesk.e2e.conftest import log_in
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Clipping, Tone, Verdict
from pressdesk.monitoring.tests.support import article

pytestmark = pytest.mark.e2e


def test_triage_in_the_inbox(page: Page, bob: User, org: Organisation) -> None:
    watch.save(org, "CEO", '"Marie Dupont"', aliases=["Mme Dupont"], group="People")
    article(org, "Acme opens a plant", "<p>Marie Dupont opened the plant on Thursday.</p>")
    article(org, "Orange harvest", "<p>Mme Dupont, a grower, sells oranges.</p>")
    log_in(page, "bob@example.org")
    page.goto("/o/acme/monitoring/")
    ceo = Clipping.objects.for_org(org).get(item__title="Acme opens a plant")
    card = page.locator(f"#clipping-{ceo.pk}")
    expect(card.locator("mark")).to_have_text("Marie Dupont")
    card.get_by_label("Tone").select_option("positive")
    card.get_by_label("Tags").fill("usine, Lyon")
    card.get_by_label("Note").fill("Pour la revue de presse")
    card.get_by_role("button", name="Relevant", exact=True).click()
    expect(
        page.locator(f"#clipping-{ceo.pk}").get_by_role("button", name="Relevant", exact=True)
    ).to_have_attribute("aria-pressed", "true")
    ceo.refresh_from_db()
    assert (ceo.verdict, ceo.tone, ceo.tags) == (Verdict.RELEVANT, Tone.POSITIVE, ["usine", "Lyon"])
    assert ceo.note == "Pour la revue de presse"
    grower = Clipping.objects.for_org(org).get(item__title="Orange harvest")
    page.locator(f"#clipping-{grower.pk}").get_by_role("button", name="Irrelevant").click()
    expect(page.locator(f"#clipping-{grower.pk}")).to_have_class("clipping verdict-irrelevant")
    page.goto("/o/acme/monitoring/queries/")
    row = page.get_by_role("row").filter(has_text="CEO")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")
    expect(row.get_by_role("cell").nth(5)).to_have_text("1")


def test_a_suggested_tone_is_applied_only_when_confirmed(
    page: Page, bob: User, org: Organisation
) -> None:
    watch.save(org, "Acme", "acme")
    article(
        org, "Grève chez Acme", "<p>Grève et colère chez Acme, qui annonce des licenciements.</p>"
    )
    clipping = Clipping.objects.for_org(org).get()
    log_in(page, "bob@example.org")
    page.goto("/o/acme/monitoring/")
    card = page.locator(f"#clipping-{clipping.pk}")
    expect(card.locator(".tone-suggestion")).to_contain_text("Suggested tone: Negative")
    expect(card.locator(".tone-suggestion")).to_contain_text("greve")
    clipping.refresh_from_db()
    assert clipping.tone == ""  # shown, not applied
    card.get_by_role("button", name="Use this tone").click()
    expect(page.locator(f"#clipping-{clipping.pk} .tone")).to_contain_text(
        "Suggested from words in the text"
    )
    clipping.refresh_from_db()
    assert (clipping.tone, clipping.tone_method) == (Tone.NEGATIVE, "suggested")
