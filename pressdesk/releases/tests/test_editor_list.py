from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils.timezone import now

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.tests import sample

URL = "/o/acme/releases/"


def test_it_lists_the_releases(as_vera: Client, org: Organisation, bob: User) -> None:
    sample.release(org, bob, title="Portes ouvertes")
    r = as_vera.get(URL)
    assert r.status_code == 200
    assert "Portes ouvertes" in r.content.decode()


def test_it_filters_by_state(as_alice: Client, org: Organisation, alice: User, bob: User) -> None:
    sample.release(org, bob, title="Brouillon seul")
    sample.approved(org, bob, alice, title="Déjà approuvé")
    page = as_alice.get(URL, {"state": "approved"}).content.decode()
    assert "Déjà approuvé" in page and "Brouillon seul" not in page


def test_a_lifted_embargo_lists_as_published(
    as_alice: Client, org: Organisation, alice: User, bob: User
) -> None:
    at = now() + timedelta(hours=2)
    sample.scheduled(org, bob, alice, at)
    assert "Journée" in as_alice.get(URL, {"state": "scheduled"}).content.decode()
    with time_machine.travel(at, tick=False):
        assert "Journée" not in as_alice.get(URL, {"state": "scheduled"}).content.decode()
        assert "Journée" in as_alice.get(URL, {"state": "published"}).content.decode()


def test_it_hides_other_organisations_releases(
    as_alice: Client, other_org: Organisation, charlie: User
) -> None:
    sample.release(other_org, charlie, title="Secret d’ailleurs")
    assert "Secret" not in as_alice.get(URL).content.decode()


def test_an_outsider_gets_404(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_alice: Client) -> None:
    assert as_alice.post(URL).status_code == 405
