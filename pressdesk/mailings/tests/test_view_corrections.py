"""The corrections page: list, accept, reject; roles, 405, outsiders, other organisations."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.tests import sample
from pressdesk.mailings.inbound import record_incoming
from pressdesk.mailings.models import ContactCorrection
from pressdesk.mailings.tests.inbound_sample import fixture, sent_mailing

URL = "/o/acme/mailings/corrections/"


@pytest.fixture
def elise(org: Organisation) -> Contact:
    return sample.contact(org, "Élise", "Moreau", emails=["elise.moreau@quotidien.example"])


@pytest.fixture
def proposal(org: Organisation, elise: Contact) -> ContactCorrection:
    sent_mailing(org, [elise], "Lancement du salon")
    record_incoming(org, fixture("ooo_fr.eml"))
    return ContactCorrection.objects.get()


@pytest.fixture
def theirs(other_org: Organisation) -> ContactCorrection:
    zoe = sample.contact(other_org, "Zoé", "Autre", emails=["elise.moreau@quotidien.example"])
    sent_mailing(other_org, [zoe])
    record_incoming(other_org, fixture("ooo_fr.eml"))
    return ContactCorrection.objects.for_org(other_org).get()


def test_it_lists_proposals_by_name_with_what_came_back(
    as_bob: Client, proposal: ContactCorrection, theirs: ContactCorrection
) -> None:
    r = as_bob.get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Élise Moreau" in page and "elise.moreau@hebdo.example" in page
    assert "New address" in page and "Lancement du salon" in page
    assert "Zoé" not in page


def test_it_accepts(as_bob: Client, proposal: ContactCorrection, elise: Contact) -> None:
    r = as_bob.post(f"{URL}{proposal.pk}/accept/")
    assert r.status_code == 302 and r["Location"] == URL
    assert [e.email for e in elise.emails.all()] == ["elise.moreau@hebdo.example"]
    assert FieldChange.objects.filter(contact=elise, field="emails").exists()
    assert AuditEntry.objects.get(action="mailings.correction.accept").ip is not None
    # A second click changes nothing and says so.
    r = as_bob.post(f"{URL}{proposal.pk}/accept/", follow=True)
    assert "already decided" in r.content.decode()
    assert FieldChange.objects.filter(contact=elise, field="emails").count() == 1


def test_it_rejects(as_bob: Client, proposal: ContactCorrection, elise: Contact) -> None:
    assert as_bob.post(f"{URL}{proposal.pk}/reject/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "rejected"
    assert [e.email for e in elise.emails.all()] == ["elise.moreau@quotidien.example"]
    assert "Élise" not in as_bob.get(URL).content.decode()


def test_it_forbids_a_viewer(as_vera: Client, proposal: ContactCorrection) -> None:
    assert as_vera.get(URL).status_code == 403
    assert as_vera.post(f"{URL}{proposal.pk}/accept/").status_code == 403
    assert as_vera.post(f"{URL}{proposal.pk}/reject/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "proposed"


def test_it_rejects_get_on_decisions(as_bob: Client, proposal: ContactCorrection) -> None:
    assert as_bob.get(f"{URL}{proposal.pk}/accept/").status_code == 405
    assert as_bob.get(f"{URL}{proposal.pk}/reject/").status_code == 405
    assert as_bob.post(URL).status_code == 405


def test_it_hides_the_organisation_from_outsiders(
    as_charlie: Client, proposal: ContactCorrection
) -> None:
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(f"{URL}{proposal.pk}/accept/").status_code == 404


def test_it_never_decides_another_organisations_proposal(
    as_bob: Client, theirs: ContactCorrection
) -> None:
    assert as_bob.post(f"{URL}{theirs.pk}/accept/").status_code == 404
    assert as_bob.post(f"{URL}{theirs.pk}/reject/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "proposed"


def test_it_asks_anonymous_visitors_to_log_in(client: Client, org: Organisation) -> None:
    r = client.get(URL)
    assert r.status_code == 302 and "login" in r["Location"]
