"""A mailing's own address, the dashboard card and the global search."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample


def test_it_leads_to_the_page_that_matters_in_each_state(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    sent = pages_sample.sent(org)
    draft = pages_sample.draft(org, bob)
    assert as_bob.get(f"/o/acme/mailings/{sent.pk}/")["Location"].endswith("/results/")
    assert as_bob.get(f"/o/acme/mailings/{draft.pk}/")["Location"].endswith("/check/")
    Mailing.objects.for_org(org).filter(pk=sent.pk).update(state=MailingState.PAUSED)
    assert as_bob.get(f"/o/acme/mailings/{sent.pk}/")["Location"].endswith("/progress/")


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation
) -> None:
    assert as_bob.get(f"/o/acme/mailings/{pages_sample.sent(other_org).pk}/").status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(f"/o/acme/mailings/{pages_sample.sent(org).pk}/").status_code == 405


def test_the_dashboard_shows_the_last_sent_with_bounces_and_replies(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    pages_sample.sent(org)
    pages_sample.sent(other_org, subject="Secret de l'autre")
    page = as_bob.get("/o/acme/").content.decode()
    assert "Parc solaire : mise en service" in page
    assert "6 sent, 2 bounced, 1 reply" in page
    assert "Secret de l" not in page


def test_the_dashboard_shows_what_is_leaving_now(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(state=MailingState.SENDING)
    page = as_bob.get("/o/acme/").content.decode()
    assert "Leaving now" in page and f"/mailings/{mailing.pk}/progress/" in page


def test_the_global_search_finds_a_mailing_by_subject(
    as_bob: Client, org: Organisation, other_org: Organisation
) -> None:
    mailing = pages_sample.sent(org)
    pages_sample.sent(other_org, subject="Parc solaire de l'autre")
    page = as_bob.get("/o/acme/search/", {"q": "parc SOLAIRE"}).content.decode()
    assert f"/o/acme/mailings/{mailing.pk}/" in page
    assert "de l&#x27;autre" not in page and "de l'autre" not in page
