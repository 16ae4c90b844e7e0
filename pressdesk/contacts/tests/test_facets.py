"""The values the checkbox filters find a contact under stay right on every path changing them."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import duplicates, editing, facets, gdpr
from pressdesk.contacts.filters import ContactFilterForm, to_querydict
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact, ContactFacet, Outlet
from pressdesk.contacts.tests import sample
from pressdesk.contacts.tests.test_api_contacts import bearer


def stored(contact: Contact, kind: str) -> set[str]:
    rows = ContactFacet.objects.filter(contact_id=contact.pk, kind=kind)
    return set(rows.values_list("value", flat=True))


def found(org: Organisation, **params: object) -> list[str]:
    return [c.last_name for c in ContactFilterForm(org, to_querydict(params)).queryset()]


@pytest.fixture
def ouest(org: Organisation) -> Outlet:
    return sample.outlet(
        org, "Ouest-France", region="Bretagne", country="FR", tier=1, languages=["fr"]
    )


def test_it_stores_own_and_outlet_values(org: Organisation, ouest: Outlet) -> None:
    helene = sample.contact(
        org, "Hélène", "Lefèvre", at=ouest, beats=["Énergie"], region="Normandie", languages=["EN"]
    )
    assert stored(helene, "region") == {"Bretagne", "Normandie"}
    assert stored(helene, "media_type") == {"regional_daily"}
    assert stored(helene, "tier") == {"1"}
    assert stored(helene, "language") == {"en", "fr"}
    assert stored(helene, "country") == {"FR"}
    assert stored(helene, "beat") == {str(org.beats.get().pk)}
    assert found(org, region="Bretagne") == found(org, region="Normandie") == ["Lefèvre"]


def test_it_follows_a_contact_edit_and_a_move(org: Organisation, ouest: Outlet, bob: User) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest)
    bleu = sample.outlet(org, "France Bleu", media_type="radio", region="Centre-Val de Loire")
    editing.save_contact(org, paul, {"region": "Corse", "outlet": bleu, "beats": ["Sport"]}, by=bob)
    assert stored(paul, "region") == {"Corse", "Centre-Val de Loire"}
    assert stored(paul, "media_type") == {"radio"}
    assert stored(paul, "tier") == set()
    assert found(org, region="Bretagne") == []
    assert found(org, media_type="radio", region="Corse") == ["Martin"]
    editing.save_contact(org, paul, {"outlet": None}, by=bob)
    assert stored(paul, "region") == {"Corse"}


def test_it_follows_the_edit_page(as_bob: Client, org: Organisation, ouest: Outlet) -> None:
    paul = sample.contact(org, "Paul", "Martin")
    r = as_bob.post(
        f"/o/acme/contacts/{paul.pk}/edit/",
        {
            "first_name": "Paul",
            "last_name": "Martin",
            "kind": "journalist",
            "lawful_basis": "legitimate_interest",
            "outlet": "Ouest-France",
            "region": "Corse",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert stored(paul, "region") == {"Bretagne", "Corse"}


def test_it_follows_the_api(client: Client, bob: User, org: Organisation) -> None:
    paul = sample.contact(org, "Paul", "Martin")
    r = client.patch(
        f"/api/v1/contacts/{paul.pk}",
        json.dumps({"region": "Occitanie", "beats": ["Santé"]}),
        content_type="application/json",
        **bearer(bob),
    )
    assert r.status_code == 200
    assert stored(paul, "region") == {"Occitanie"}
    assert found(org, region="Occitanie", beat=[str(org.beats.get(name="Santé").pk)]) == ["Martin"]


def test_it_follows_an_outlet_edit(org: Organisation, ouest: Outlet) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest)
    gone = sample.contact(org, "Anne", "Ancienne", at=ouest)
    gone.positions.update(end_date="2020-01-01")
    facets.refresh([gone.pk])
    editing.save_outlet(
        org, ouest, {"region": "Pays de la Loire", "media_type": "weekly", "tier": 2}
    )
    assert stored(paul, "region") == {"Pays de la Loire"}
    assert stored(paul, "media_type") == {"weekly"}
    assert stored(paul, "tier") == {"2"}
    # Someone who left before is not found under the outlet's values.
    assert stored(gone, "region") == set()


def test_it_follows_an_import(org: Organisation, ouest: Outlet) -> None:
    header = "Prénom;Nom;Média;Email;Rubrique;Région\n"
    first = header + "Hélène;Lefèvre;Ouest-France;helene@example.fr;Énergie;Normandie\n"
    run_import(org, first.encode(), "a.csv", ImportOptions())
    helene = Contact.objects.get(org=org, last_name="Lefèvre")
    assert stored(helene, "region") == {"Bretagne", "Normandie"}
    assert stored(helene, "media_type") == {"regional_daily"}
    # A second file about the same person: new beat, new outlet, new region.
    second = header + "Hélène;Lefèvre;Le Télégramme;helene@example.fr;Climat;Corse\n"
    run_import(org, second.encode(), "b.csv", ImportOptions())
    assert len(stored(helene, "beat")) == 2
    # The file's region replaces hers; the new outlet has none of its own.
    assert stored(helene, "region") == {"Bretagne", "Corse"}
    assert found(org, beat=[str(org.beats.get(name="Climat").pk)]) == ["Lefèvre"]


def test_it_follows_an_import_that_types_a_known_outlet(org: Organisation) -> None:
    bare = sample.outlet(org, "La Gazette", media_type="")
    paul = sample.contact(org, "Paul", "Martin", at=bare)
    assert stored(paul, "media_type") == set()
    data = "Prénom;Nom;Média;Type de média;Email\nAnne;Autre;La Gazette;hebdomadaire;a@example.fr\n"
    run_import(org, data.encode(), "c.csv", ImportOptions())
    assert Outlet.objects.get(pk=bare.pk).media_type == "weekly"
    assert stored(paul, "media_type") == {"weekly"}


def test_it_follows_a_merge(org: Organisation, ouest: Outlet, bob: User) -> None:
    first = sample.contact(org, "Paul", "Martin", emails=["paul@example.fr"])
    second = sample.contact(org, "Paul", "Martin", at=ouest, beats=["Sport"])
    keep = duplicates.merge(org, first.pk, second.pk, by=bob)
    assert stored(keep, "region") == {"Bretagne"}
    assert len(stored(keep, "beat")) == 1
    assert ContactFacet.objects.filter(contact_id=second.pk).count() == 0
    assert found(org, region="Bretagne") == ["Martin"]


def test_it_forgets_an_erased_contact_and_a_deleted_beat(
    org: Organisation, ouest: Outlet, bob: User
) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest, emails=["p@example.fr"])
    helene = sample.contact(org, "Hélène", "Lefèvre", beats=["Énergie"])
    gdpr.erase(paul, by=bob)
    assert ContactFacet.objects.filter(contact_id=paul.pk).count() == 0
    org.beats.get(name="Énergie").delete()
    assert stored(helene, "beat") == set()


def test_it_follows_beats_added_directly(org: Organisation) -> None:
    paul = sample.contact(org, "Paul", "Martin")
    sport = org.beats.create(name="Sport", name_normalised="sport")
    paul.beats.add(sport)
    assert stored(paul, "beat") == {str(sport.pk)}
    sport.contacts.clear()
    assert stored(paul, "beat") == set()


def test_the_migration_backfills_existing_contacts(org: Organisation, ouest: Outlet) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest, region="Corse")
    ContactFacet.objects.all().delete()
    migration = importlib.import_module("pressdesk.contacts.migrations.0004_facets")
    migration.backfill(django_apps, None)
    assert stored(paul, "region") == {"Bretagne", "Corse"}


def test_it_keeps_organisations_apart(
    org: Organisation, other_org: Organisation, ouest: Outlet
) -> None:
    sample.contact(org, "Paul", "Martin", at=ouest)
    theirs = sample.outlet(other_org, "Ouest-France", region="Bretagne")
    sample.contact(other_org, "Pierre", "Autre", at=theirs)
    assert found(org, region="Bretagne") == ["Martin"]
    assert facets.whole_file_counts(org)["region"] == {"Bretagne": 1}
