"""What came back, in a browser: a correction accepted from its page, the follow-up editor, and
both pages and the contact's section fitting a phone (390 px) and a laptop (1280 px), in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.conftest import PASSWORD
from pressdesk.contacts.tests import sample
from pressdesk.e2e.conftest import french, log_in
from pressdesk.e2e.test_page_widths import LAPTOP, PHONE, overflow
from pressdesk.mailings import followups
from pressdesk.mailings.inbound import record_incoming
from pressdesk.mailings.tests.inbound_sample import fixture, sent_mailing

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_a_correction_is_accepted_and_the_pages_fit(page: Page) -> None:
    org = Organisation.objects.create(name="Agence Lumière", slug="lumiere", language="fr")
    user = User.objects.create_user(
        "ines@lumiere.example", PASSWORD, full_name="Inès Garnier", language="fr"
    )
    Membership.objects.create(user=user, org=org, role=Role.PRESS_OFFICER)
    elise = sample.contact(
        org,
        "Élise-Marguerite",
        "Moreau-Vandenbroucke",
        emails=["elise.moreau@quotidien.example"],
        at=sample.outlet(org, "Le Quotidien régional de l’Ouest et du Centre"),
    )
    mailing = sent_mailing(
        org, [elise], "Lancement de la gamme d’accumulateurs thermiques pour l’habitat collectif"
    )
    record_incoming(org, fixture("ooo_fr.eml"))
    followups.add_step(
        mailing, user, after_days=3, subject="Relance : avez-vous pu lire ?", body="Bonjour"
    )
    log_in(page, user.email)

    page.goto("/o/lumiere/mailings/corrections/")
    expect(page.get_by_role("heading", name=french("Corrections to review"))).to_be_visible()
    expect(page.get_by_text("elise.moreau@hebdo.example")).to_be_visible()
    for viewport in (PHONE, LAPTOP):
        assert not overflow(page, viewport)

    page.goto(f"/o/lumiere/mailings/{mailing.pk}/follow-ups/")
    expect(page.get_by_text("Relance : avez-vous pu lire ?").first).to_be_visible()
    for viewport in (PHONE, LAPTOP):
        assert not overflow(page, viewport)

    page.goto("/o/lumiere/mailings/corrections/")
    page.get_by_role("button", name=french("Accept")).click()
    expect(page.get_by_text(french("No corrections waiting."))).to_be_visible()
    assert [e.email for e in elise.emails.all()] == ["elise.moreau@hebdo.example"]

    page.goto(f"/o/lumiere/contacts/{elise.pk}/")
    expect(page.locator("#mailings-title")).to_be_visible()
    for viewport in (PHONE, LAPTOP):
        assert not overflow(page, viewport)
