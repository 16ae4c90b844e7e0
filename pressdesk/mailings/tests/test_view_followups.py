"""The follow-up editor of a mailing: add, change, cancel; roles, 405, outsiders, other orgs."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests import sample
from pressdesk.mailings import followups
from pressdesk.mailings.models import FollowUp, Mailing
from pressdesk.mailings.tests.inbound_sample import sent_mailing

STEP = {"after_days": "3", "subject": "Relance", "body": "Avez-vous pu lire notre annonce ?"}


@pytest.fixture
def mailing(org: Organisation) -> Mailing:
    people = [sample.contact(org, "Marc", "Petit", emails=["marc.petit@example.org"])]
    return sent_mailing(org, people, "Lancement")


@pytest.fixture
def step(mailing: Mailing, bob: User) -> FollowUp:
    return followups.add_step(mailing, bob, after_days=2, subject="Relance 1", body="Bonjour")


@pytest.fixture
def theirs(other_org: Organisation, charlie: User) -> FollowUp:
    zoe = sample.contact(other_org, "Zoé", "Autre", emails=["zoe@autre.example"])
    found = sent_mailing(other_org, [zoe])
    return followups.add_step(found, charlie, after_days=2, subject="Theirs", body="x")


def url(mailing: Mailing, tail: str = "") -> str:
    return f"/o/acme/mailings/{mailing.pk}/follow-ups/{tail}"


def test_it_adds_a_step_and_shows_who_it_reaches(as_bob: Client, mailing: Mailing) -> None:
    r = as_bob.post(url(mailing), STEP)
    assert r.status_code == 302
    assert FollowUp.objects.get(mailing=mailing).subject == "Relance"
    page = as_bob.get(url(mailing)).content.decode()
    assert "3 days after — Relance" in page and "1 person to follow up now" in page


def test_it_explains_bad_input(as_bob: Client, mailing: Mailing) -> None:
    r = as_bob.post(url(mailing), {**STEP, "after_days": "0"})
    assert r.status_code == 200
    assert "greater than or equal to 1" in r.content.decode()
    r = as_bob.post(url(mailing), {**STEP, "subject": "A\r\nBcc: x"})
    assert not FollowUp.objects.exists()


def test_it_changes_and_cancels_a_step(as_bob: Client, mailing: Mailing, step: FollowUp) -> None:
    data = {f"s{step.pk}-{k}": v for k, v in STEP.items()}
    assert as_bob.post(url(mailing, f"{step.pk}/"), data).status_code == 302
    step.refresh_from_db()
    assert (step.after_days, step.subject) == (3, "Relance")
    assert as_bob.post(url(mailing, f"{step.pk}/cancel/")).status_code == 302
    step.refresh_from_db()
    assert step.cancelled
    r = as_bob.post(url(mailing, f"{step.pk}/cancel/"), follow=True)
    assert "cancelled already" in r.content.decode()


def test_a_viewer_sees_but_cannot_change(as_vera: Client, mailing: Mailing, step: FollowUp) -> None:
    page = as_vera.get(url(mailing))
    assert page.status_code == 200 and "Relance 1" in page.content.decode()
    assert "Add a follow-up" not in page.content.decode()
    assert as_vera.post(url(mailing), STEP).status_code == 403
    assert as_vera.post(url(mailing, f"{step.pk}/cancel/")).status_code == 403
    assert FollowUp.objects.count() == 1 and not FollowUp.objects.get().cancelled


def test_it_rejects_get_on_changes(as_bob: Client, mailing: Mailing, step: FollowUp) -> None:
    assert as_bob.get(url(mailing, f"{step.pk}/")).status_code == 405
    assert as_bob.get(url(mailing, f"{step.pk}/cancel/")).status_code == 405
    assert as_bob.put(url(mailing)).status_code == 405


def test_it_hides_the_organisation_from_outsiders(
    as_charlie: Client, mailing: Mailing, step: FollowUp
) -> None:
    assert as_charlie.get(url(mailing)).status_code == 404
    assert as_charlie.post(url(mailing, f"{step.pk}/cancel/")).status_code == 404


def test_it_never_touches_another_organisations_mailing(
    as_bob: Client, mailing: Mailing, theirs: FollowUp
) -> None:
    assert as_bob.get(url(theirs.mailing)).status_code == 404
    assert as_bob.post(url(theirs.mailing), STEP).status_code == 404
    # Their step under our mailing's address is not found either.
    assert as_bob.post(url(mailing, f"{theirs.pk}/cancel/")).status_code == 404
    theirs.refresh_from_db()
    assert not theirs.cancelled and FollowUp.objects.count() == 1
