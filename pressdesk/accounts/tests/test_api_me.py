from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.accounts.tests.utils import api_token


def test_it_works(bob: User, org: Organisation) -> None:
    raw = api_token(bob, org)
    r = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 200
    assert r.json() == {
        "email": "bob@example.org",
        "full_name": "Bob Officer",
        "organisation": "Acme Énergie",
        "organisation_slug": "acme",
        "role": "press_officer",
    }


def test_it_answers_for_the_tokens_organisation(
    charlie: User, org: Organisation, other_org: Organisation
) -> None:
    # Charlie belongs to both; each token speaks for one organisation.
    from pressdesk.accounts.models import Membership

    Membership.objects.create(user=charlie, org=org, role="viewer")
    raw = api_token(charlie, org)
    r = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert (r.json()["organisation_slug"], r.json()["role"]) == ("acme", "viewer")
