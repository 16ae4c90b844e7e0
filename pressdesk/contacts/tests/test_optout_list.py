from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import FieldChange, OptOut
from pressdesk.contacts.models.optout import address_hash
from pressdesk.contacts.tests.gdpr_support import EMAIL, person


def url(org: Organisation, action: str = "") -> str:
    return f"/o/{org.slug}/contacts/gdpr/optouts/{action}"


@pytest.mark.django_db
def test_it_lists_hashes_never_addresses(as_bob: Client, org: Organisation) -> None:
    services.opt_out(org, EMAIL, "hard_bounce", "mailing 12")
    r = as_bob.get(url(org))
    assert r.status_code == 200
    body = r.content.decode()
    assert "1 address is on the list." in body
    assert address_hash(EMAIL)[:12] in body
    assert "Hard bounce" in body
    assert "mailing 12" in body
    assert EMAIL.lower() not in body.lower()
    # There is no way to remove an entry from here.
    assert "delete" not in body.lower()
    assert "remove an entry" in body.lower()  # the explanation, not a control


@pytest.mark.django_db
def test_it_adds_an_objection(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    r = as_bob.post(
        url(org, "add/"),
        {
            "address": " marie.DUPONT@ouest-france.example.fr",
            "reason": "objection",
            "note": "by phone on 3 March",
        },
    )
    assert r.status_code == 302
    entry = OptOut.objects.get(org=org)
    assert entry.address_hash == address_hash(EMAIL)
    assert entry.reason == "objection"
    assert entry.source == "by phone on 3 March"
    assert services.is_opted_out(org, EMAIL)
    change = FieldChange.objects.get(contact=contact, field="opt_out")
    assert change.new_value == "objection"
    audit = AuditEntry.objects.get(action="optout.add")
    assert audit.data["hash_prefix"] == entry.address_hash[:12]
    assert "dupont" not in str(audit.data).lower()


@pytest.mark.django_db
def test_it_keeps_the_first_reason(as_bob: Client, org: Organisation) -> None:
    services.opt_out(org, EMAIL, "unsubscribe")
    r = as_bob.post(url(org, "add/"), {"address": EMAIL, "reason": "objection"}, follow=True)
    assert "already on the opt-out list" in r.content.decode()
    assert OptOut.objects.get().reason == "unsubscribe"
    assert not AuditEntry.objects.filter(action="optout.add").exists()


@pytest.mark.django_db
def test_it_rejects_what_is_not_an_address(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(url(org, "add/"), {"address": "marie dupont", "reason": "objection"})
    assert r.status_code == 200
    assert "Enter a valid email address" in r.content.decode()
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_it_refuses_the_erasure_reason_by_hand(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(url(org, "add/"), {"address": EMAIL, "reason": "erasure"})
    assert r.status_code == 200
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_it_says_whether_an_address_is_listed(as_bob: Client, org: Organisation) -> None:
    services.opt_out(org, EMAIL, "objection")
    r = as_bob.post(url(org, "check/"), {"address": EMAIL.upper()})
    assert "Yes: this address is on the list (Objection" in r.content.decode()
    r = as_bob.post(url(org, "check/"), {"address": "paul@example.org"})
    assert "No: this address is not on the opt-out list." in r.content.decode()
    assert OptOut.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "action"), [("get", ""), ("post", "add/"), ("post", "check/")])
def test_it_checks_ownership(
    as_charlie: Client, org: Organisation, method: str, action: str
) -> None:
    r = getattr(as_charlie, method)(url(org, action), {"address": EMAIL, "reason": "objection"})
    assert r.status_code == 404
    assert not OptOut.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "action"), [("get", ""), ("post", "add/"), ("post", "check/")])
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, method: str, action: str) -> None:
    r = getattr(as_vera, method)(url(org, action), {"address": EMAIL, "reason": "objection"})
    assert r.status_code == 403
    assert not OptOut.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "action"), [("post", ""), ("get", "add/"), ("get", "check/")])
def test_it_rejects_the_wrong_method(
    as_bob: Client, org: Organisation, method: str, action: str
) -> None:
    assert getattr(as_bob, method)(url(org, action)).status_code == 405
