"""The checkbox filters' counts: the whole file's kept as it changes, a selection's cached, and
every change showing in the next request's counts, in this process and in any other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import duplicates, editing, facets, gdpr
from pressdesk.contacts.models import ContactFacet, FacetTotal, FacetVersion, Outlet
from pressdesk.contacts.tests import sample
from pressdesk.contacts.tests.test_browse_list import URL, facet

Capture = Callable[..., Any]


@pytest.fixture
def ouest(org: Organisation) -> Outlet:
    return sample.outlet(org, "Ouest-France", region="Bretagne", tier=1, languages=["fr"])


def recounted(org: Organisation) -> dict[str, dict[str, int]]:
    return facets._grouped(ContactFacet.objects.for_org(org))


def test_the_whole_file_counts_follow_every_path(
    org: Organisation, other_org: Organisation, ouest: Outlet, bob: User
) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest, beats=["Sport"])
    helene = sample.contact(org, "Hélène", "Lefèvre", beats=["Énergie", "Sport"], region="Corse")
    sample.contact(other_org, "Pierre", "Autre", region="Corse")
    assert facets.whole_file_counts(org) == recounted(org)
    assert facets.whole_file_counts(org)["region"] == {"Bretagne": 1, "Corse": 1}
    editing.save_contact(org, paul, {"region": "Corse", "outlet": None}, by=bob)
    assert facets.whole_file_counts(org)["region"] == {"Corse": 2}
    ouest.region = "Normandie"
    ouest.save()
    editing.save_contact(org, helene, {"outlet": ouest}, by=bob)
    editing.save_outlet(org, ouest, {"region": "Bretagne"})
    assert facets.whole_file_counts(org) == recounted(org)
    org.beats.get(name="Énergie").delete()
    assert facets.whole_file_counts(org) == recounted(org)
    org.beats.get(name="Sport").contacts.clear()
    assert "beat" not in facets.whole_file_counts(org)
    gdpr.erase(paul, by=bob)
    assert (
        facets.whole_file_counts(org)
        == recounted(org)
        == {
            "region": {"Bretagne": 1, "Corse": 1},
            "tier": {"1": 1},
            "language": {"fr": 1},
            "media_type": {"regional_daily": 1},
        }
    )
    assert facets.whole_file_counts(other_org)["region"] == {"Corse": 1}


def test_a_merge_and_a_delete_keep_the_whole_file_counts(org: Organisation, bob: User) -> None:
    one = sample.contact(org, "Paul", "Martin", emails=["p@example.fr"], region="Corse")
    two = sample.contact(org, "Paul", "Martin", emails=["p@example.fr"], region="Bretagne")
    duplicates.merge(org, one.pk, two.pk, by=bob)
    assert facets.whole_file_counts(org)["region"] == {"Corse": 1}
    assert facets.whole_file_counts(org) == recounted(org)
    editing.delete_contact(one, by=bob)
    assert facets.whole_file_counts(org) == recounted(org) == {}


def test_piled_up_changes_fold_into_one_row_per_value(
    org: Organisation, bob: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(facets, "FOLD_AFTER", 5)
    paul = sample.contact(org, "Paul", "Martin")
    for region in ["Corse", "Bretagne", "Corse", "Alsace", "Corse", "Bretagne"]:
        editing.save_contact(org, paul, {"region": region}, by=bob)
    assert FacetTotal.objects.for_org(org).count() > 5
    assert facets.whole_file_counts(org) == {"region": {"Bretagne": 1}}
    assert list(FacetTotal.objects.for_org(org).values_list("value", "n")) == [("Bretagne", 1)]
    assert facets.whole_file_counts(org) == {"region": {"Bretagne": 1}}


def test_counts_can_be_rebuilt_after_writes_in_bulk_sql(org: Organisation) -> None:
    paul = sample.contact(org, "Paul", "Martin", region="Corse")
    ContactFacet.objects.create(org=org, contact=paul, kind="region", value="Alsace")
    assert "Alsace" not in facets.whole_file_counts(org)["region"]
    facets.rebuild_totals(org)
    assert facets.whole_file_counts(org)["region"] == {"Alsace": 1, "Corse": 1}


def test_it_shows_a_change_in_the_next_requests_counts(
    as_alice: Client, org: Organisation, ouest: Outlet, bob: User
) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest, beats=["Sport"])
    sample.contact(org, "Hélène", "Lefèvre", at=ouest, beats=["Sport"], languages=["en"])
    query = {"region": "Bretagne", "beat": org.beats.get().pk}
    assert facet(as_alice.get(URL, query), "language") == {
        "French": (2, False),
        "English": (1, False),
    }
    # The same selection again (another page, another order): the cached counts.
    assert facet(as_alice.get(URL, {**query, "sort": "-created"}), "language")["French"] == (
        2,
        False,
    )
    editing.save_contact(org, paul, {"languages": ["en"]}, by=bob)
    assert facet(as_alice.get(URL, query), "language") == {
        "French": (2, False),
        "English": (2, False),
    }
    assert facet(as_alice.get(URL), "language") == {"French": (2, False), "English": (2, False)}


def test_another_processs_change_shows_through_the_committed_version(
    as_alice: Client,
    org: Organisation,
    ouest: Outlet,
    bob: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    paul = sample.contact(org, "Paul", "Martin", at=ouest)
    sample.contact(org, "Hélène", "Lefèvre", at=ouest)
    query = {"region": "Bretagne", "tier": "1"}
    assert facet(as_alice.get(URL, query), "language") == {"French": (2, False)}
    assert FacetVersion.objects.for_org(org).get().n == 0
    this_process = cache.get(facets._local_key(org.pk))
    with django_capture_on_commit_callbacks(execute=True):
        editing.save_contact(org, paul, {"languages": ["de"]}, by=bob)
    assert FacetVersion.objects.for_org(org).get().n > 0
    # As in a process that did not make the change: only the database's counter moved.
    cache.set(facets._local_key(org.pk), this_process, None)
    assert facet(as_alice.get(URL, query), "language") == {
        "French": (2, False),
        "German": (1, False),
    }


def test_an_organisation_goes_with_its_counts(org: Organisation, ouest: Outlet) -> None:
    sample.contact(org, "Paul", "Martin", at=ouest, beats=["Sport"])
    facets.whole_file_counts(org)
    Organisation.objects.filter(pk=org.pk).delete()
    assert not FacetTotal.objects.filter(org_id=org.pk).exists()  # all-orgs: the one deleted
