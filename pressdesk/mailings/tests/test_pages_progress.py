from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample


def url(mailing_id: int) -> str:
    return f"/o/acme/mailings/{mailing_id}/progress/"


def in_state(org: Organisation, state: str) -> Mailing:
    mailing = pages_sample.sent(org)
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(state=state, finished_at=None)
    mailing.refresh_from_db()
    return mailing


def test_it_shows_the_counts_and_the_progress_bar(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert '<progress class="progress-bar" max="100" value="100"' in page
    assert '<dd class="count-sent">6</dd>' in page  # a refusal and an unknown are not sent
    assert "count-unknown" in page and "show=unknown" in page
    # Done: the page no longer polls.
    assert "hx-trigger" not in page


def test_it_polls_while_sending_and_answers_htmx_with_the_part_only(
    as_bob: Client, org: Organisation
) -> None:
    mailing = in_state(org, MailingState.SENDING)
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    part = as_bob.get(url(mailing.pk), headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith("<section")
    assert "<html" not in part
    assert 'hx-trigger="every 2s"' in part
    # Once it is sent, the next poll returns a part without the trigger: polling stops.
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(state=MailingState.SENT)
    done = as_bob.get(url(mailing.pk), headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.content.decode()
    # …and the whole page reloads, so that its heading says "sent" too.
    assert done["HX-Refresh"] == "true"


def test_it_offers_pause_while_sending_and_resume_while_paused(
    as_bob: Client, org: Organisation
) -> None:
    sending = in_state(org, MailingState.SENDING)
    page = as_bob.get(url(sending.pk)).content.decode()
    assert f"/{sending.pk}/pause/" in page and f"/{sending.pk}/cancel/" in page
    Mailing.objects.for_org(org).filter(pk=sending.pk).update(state=MailingState.PAUSED)
    page = as_bob.get(url(sending.pk)).content.decode()
    assert f"/{sending.pk}/resume/" in page and f"/{sending.pk}/pause/" not in page
    # A pause changes by a person's hand: no polling meanwhile.
    assert "hx-trigger" not in page


def test_it_shows_why_a_mailing_paused_itself(as_bob: Client, org: Organisation) -> None:
    mailing = in_state(org, MailingState.PAUSED)
    Mailing.objects.for_org(org).filter(pk=mailing.pk).update(
        state_reason="Le serveur de courrier refuse les envois (421) : 5 échecs de suite."
    )
    assert "5 échecs de suite" in as_bob.get(url(mailing.pk)).content.decode()


def test_it_shows_no_buttons_to_a_member_without_send(as_sam: Client, org: Organisation) -> None:
    mailing = in_state(org, MailingState.SENDING)
    page = as_sam.get(url(mailing.pk)).content.decode()
    assert "/pause/" not in page and "/cancel/" not in page


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation
) -> None:
    theirs = pages_sample.sent(other_org)
    assert as_bob.get(url(theirs.pk)).status_code == 404
    assert as_bob.get(url(theirs.pk), headers={"HX-Request": "true"}).status_code == 404


def test_it_is_404_for_an_outsider(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(url(pages_sample.sent(org).pk)).status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(url(pages_sample.sent(org).pk)).status_code == 405
