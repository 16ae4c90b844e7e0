from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings import services
from pressdesk.mailings.models.mailing import MailingKind
from pressdesk.mailings.tests import pages_sample
from pressdesk.releases.tests import sample as releases


def url(mailing_id: int) -> str:
    return f"/o/acme/mailings/{mailing_id}/check/"


def test_it_shows_the_real_number_and_who_is_left_out_and_why(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert "<strong>2</strong>" in page
    assert "On the opt-out list" in page
    assert "Zoé Refus" in page
    assert "Send now to 2 people" in page
    assert "disabled" not in page.split('class="send-now"')[1].split("</form>")[0]
    assert "Europe/Paris" in page


def test_it_counts_a_person_in_two_lists_once(as_bob: Client, org: Organisation, bob: User) -> None:
    regional = pages_sample.press_list(org)
    mailing = services.create_mailing(
        org,
        bob,
        kind=MailingKind.FREE,
        subject="S",
        body="B",
        lists=[regional],
        contacts=list(regional.contacts.all()),
    )
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert "<strong>2</strong>" in page
    assert "counted once" in page


def test_it_disables_sending_with_the_reason_when_the_release_is_not_approved(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    draft_release = releases.release(org, bob, title="Pas encore validé")
    mailing = services.create_mailing(
        org, bob, release=draft_release, lists=[pages_sample.press_list(org)]
    )
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert "is not approved yet" in page
    assert "Pas encore validé" in page
    send_now = page.split('class="send-now"')[1].split("</form>")[0]
    assert "disabled" in send_now


def test_it_offers_sending_for_an_approved_release(
    as_bob: Client, org: Organisation, alice: User, bob: User
) -> None:
    ready = releases.approved(org, bob, alice, title="Validé")
    mailing = services.create_mailing(org, bob, release=ready, lists=[pages_sample.press_list(org)])
    page = as_bob.get(url(mailing.pk)).content.decode()
    assert "not approved" not in page
    assert "disabled" not in page.split('class="send-now"')[1].split("</form>")[0]


def test_it_shows_no_send_button_to_a_member_without_send(
    as_sam: Client, org: Organisation, bob: User
) -> None:
    mailing = pages_sample.draft(org, bob)
    page = as_sam.get(url(mailing.pk)).content.decode()
    assert "does not allow sending" in page
    assert "send-now" not in page


def test_it_sends_a_started_mailing_to_its_progress(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    r = as_bob.get(url(mailing.pk))
    assert r.status_code == 302 and r["Location"].endswith(f"/{mailing.pk}/progress/")


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation
) -> None:
    theirs = pages_sample.sent(other_org)
    assert as_bob.get(url(theirs.pk)).status_code == 404


def test_it_is_404_for_an_outsider(as_charlie: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_charlie.get(url(mailing.pk)).status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = pages_sample.draft(org, bob)
    assert as_bob.post(url(mailing.pk)).status_code == 405
