"""The audience of a mailing: dedup by person and address, exclusions, and a freeze that holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import services as contact_services
from pressdesk.contacts.models import ContactEmail, ContactList
from pressdesk.contacts.tests import sample
from pressdesk.mailings import ledger
from pressdesk.mailings.models import Exclusion, Recipient
from pressdesk.mailings.tests.conftest import free_mailing, people, static_list


def test_one_message_per_person_and_per_address(org: Organisation, bob: User) -> None:
    marie = sample.contact(org, "Marie", "Dupont", emails=["Marie.Dupont@Exemple.fr"])
    paul = sample.contact(org, "Paul", "Martin", emails=["paul@exemple.fr"])
    # A second record of the same journalist, address in another case.
    twin = sample.contact(org, "Marie", "Dupond", emails=["marie.dupont@exemple.fr"])
    # A newsroom address shared by two people, the second with an address of her own.
    desk = sample.contact(org, "Desk", "Un", emails=["redaction@journal.fr"])
    shared = sample.contact(org, "Zoé", "Deux", emails=["REDACTION@journal.fr", "zoe@journal.fr"])
    energy = static_list(org, "Énergie", [marie, paul, twin])
    climate = static_list(org, "Climat", [marie, desk, shared])
    mailing = free_mailing(org, bob, energy, climate)
    mailing.contacts.add(paul)

    planned = ledger.plan(mailing)
    assert planned.recipients == 4
    assert planned.excluded == {"duplicate": 1}
    # Marie through two lists, Paul through a list and by hand, and the twin's address.
    assert planned.duplicates == 3

    assert ledger.freeze(mailing) == 4
    addresses = sorted(
        Recipient.objects.filter(mailing=mailing).values_list("address_key", flat=True)
    )
    assert addresses == [
        "marie.dupont@exemple.fr",
        "paul@exemple.fr",
        "redaction@journal.fr",
        "zoe@journal.fr",
    ]
    first = Recipient.objects.get(mailing=mailing, contact=marie)
    assert first.address == "Marie.Dupont@Exemple.fr" and first.name == "Marie Dupont"
    assert Exclusion.objects.get(mailing=mailing).contact == twin


def test_exclusions_say_why(org: Organisation, bob: User) -> None:
    kept = sample.contact(org, "Ana", "Garde", emails=["ana@exemple.fr"])
    objected = sample.contact(org, "Bea", "Objet", emails=["bea@exemple.fr", "bea@perso.fr"])
    contact_services.opt_out(org, "BEA@perso.fr", "objection")  # her second address speaks for her
    never = sample.contact(org, "Cy", "Jamais", emails=["cy@exemple.fr"])
    contact_services.opt_out(org, "cy@exemple.fr", "never_contact")
    dead = sample.contact(org, "Dan", "Mort", emails=["dan@exemple.fr"])
    ContactEmail.objects.filter(contact=dead).update(bounced_at=timezone.now())
    moved = sample.contact(org, "Eve", "Partie", emails=["eve@ancien.fr", "eve@nouveau.fr"])
    contact_services.opt_out(org, "eve@ancien.fr", "hard_bounce")  # the address, not the person
    silent = sample.contact(org, "Fox", "Sans")
    everyone = static_list(org, "Tous", [kept, objected, never, dead, moved, silent])
    mailing = free_mailing(org, bob, everyone)

    planned = ledger.plan(mailing)
    assert planned.recipients == 2
    assert planned.excluded == {"opted_out": 1, "never": 1, "bounced": 1, "no_email": 1}
    ledger.freeze(mailing)
    assert sorted(Recipient.objects.filter(mailing=mailing).values_list("address", flat=True)) == [
        "ana@exemple.fr",
        "eve@nouveau.fr",
    ]
    reasons = dict(Exclusion.objects.filter(mailing=mailing).values_list("contact_id", "reason"))
    assert reasons == {
        objected.pk: "opted_out",
        never.pk: "never",
        dead.pk: "bounced",
        silent.pk: "no_email",
    }


def test_segments_resolve_today_and_the_freeze_holds(org: Organisation, bob: User) -> None:
    bretons = people(org, 3, prefix="bzh", kind="freelance")
    people(org, 2, prefix="paris", kind="editor")
    segment = ContactList.objects.create(
        org=org, name="Pigistes", kind=ContactList.SEGMENT, filters={"kind": ["freelance"]}
    )
    mailing = free_mailing(org, bob, segment)
    assert ledger.plan(mailing).recipients == 3
    assert ledger.freeze(mailing) == 3
    assert mailing.frozen_at is not None
    # Someone added to the segment after the freeze is not in this mailing; freezing again
    # writes nothing.
    people(org, 1, prefix="late", kind="freelance")
    assert ledger.freeze(mailing) == 3
    assert set(Recipient.objects.filter(mailing=mailing).values_list("contact", flat=True)) == {
        c.pk for c in bretons
    }


def test_another_organisations_contacts_never_enter(
    org: Organisation, other_org: Organisation, bob: User
) -> None:
    ours = people(org, 2)
    theirs = people(other_org, 2, prefix="x")
    mixed = static_list(org, "Mélange", ours)
    # A membership row pointing at another organisation's contact (a bug elsewhere) is ignored.
    static_list(org, "Vide", [])
    mixed.memberships.create(contact=theirs[0])
    mailing = free_mailing(org, bob, mixed)
    assert ledger.freeze(mailing) == 2


def test_warnings_for_the_check_page(org: Organisation, bob: User) -> None:
    phone = sample.contact(
        org,
        "Gil",
        "Tel",
        emails=["gil@exemple.fr"],
        preferred_channel="phone",
        out_of_office_until=timezone.localdate() + timedelta(days=2),
    )
    mailing = free_mailing(org, bob, static_list(org, "Un", [phone]))
    warnings = ledger.plan(mailing).warnings
    assert any("otherwise than by email" in w for w in warnings)
    assert any("out of office" in w for w in warnings)
    empty = free_mailing(org, bob, static_list(org, "Vide", []))
    assert ledger.plan(empty).warnings == ["Nobody would receive this mailing."]


@pytest.mark.parametrize("count", [3000])
def test_freeze_is_bulk(
    org: Organisation, bob: User, count: int, django_assert_max_num_queries: object
) -> None:
    segment = ContactList.objects.create(
        org=org, name="Tous", kind=ContactList.SEGMENT, filters={"kind": ["freelance"]}
    )
    people(org, count, kind="freelance")
    mailing = free_mailing(org, bob, segment)
    # Rows go in multi-row INSERTs (SQLite caps a statement's parameters): never one per row.
    with django_assert_max_num_queries(count // 20):  # type: ignore[operator]
        assert ledger.freeze(mailing) == count
