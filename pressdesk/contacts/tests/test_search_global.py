"""The contacts' part of the global search box."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.tests import sample


def test_it_finds_contacts_and_outlets(
    as_vera: Client, org: Organisation, other_org: Organisation
) -> None:
    equipe = sample.outlet(org, "L’Équipe", media_type="daily")
    marie = sample.contact(org, "Marie", "Dupont", at=equipe, title="Reporter")
    sample.contact(other_org, "Marie", "Equipe-Ailleurs")
    r = as_vera.get("/o/acme/search/", {"q": "equipe"})
    assert r.status_code == 200
    body = r.content.decode()
    assert f"/o/acme/contacts/{marie.pk}/" in body
    assert f"/o/acme/contacts/outlets/{equipe.pk}/" in body
    assert "Reporter — L’Équipe" in body
    assert "Ailleurs" not in body
