"""Linking a byline to any journalist of the press file, or adding the journalist from it: the
services behind the review page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import editing
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.models.contacts import SourceKind
from pressdesk.contacts.tests import sample
from pressdesk.monitoring import bylines, journalists, review, watch
from pressdesk.monitoring.errors import Refusal
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import journalist, signed, unknown

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Jean de La Fontaine", "Jean", "de La Fontaine"),
        ("Marie-Claire Dupont", "Marie-Claire", "Dupont"),
        ("Anna van der Berg", "Anna", "van der Berg"),
        ("J. Fournier", "J.", "Fournier"),
        ("Jean Paul Martin", "Jean Paul", "Martin"),
        ("Cher", "", "Cher"),
    ],
)
def test_it_splits_a_byline_into_first_and_last_name(name: str, first: str, last: str) -> None:
    assert bylines.split_name(name) == (first, last)


def test_it_links_a_byline_to_a_journalist_who_is_not_a_candidate(
    org: Organisation, bob: User
) -> None:
    seen = unknown(org)
    claire = journalist(org)
    assert review.candidates(seen.byline) == []
    assert review.accept(org, seen.byline, claire, user=bob) == 1
    seen.item.refresh_from_db()
    assert seen.item.author_contact == claire
    entry = AuditEntry.objects.get(action="monitoring.byline_accept")
    assert entry.data["contact_id"] == claire.pk and entry.actor == bob


def test_it_refuses_another_organisations_journalist(
    org: Organisation, other_org: Organisation
) -> None:
    seen = unknown(org)
    theirs = journalist(other_org)
    with pytest.raises(Refusal):
        review.accept(org, seen.byline, theirs)
    seen.byline.refresh_from_db()
    assert seen.byline.status == Byline.PENDING


def test_it_adds_the_journalist_with_provenance_outlet_and_link(
    org: Organisation, bob: User
) -> None:
    seen = unknown(org)
    contact, linked = review.create_contact(org, seen.byline, user=bob)
    assert (contact.first_name, contact.last_name, contact.kind) == (
        "Jean",
        "de La Fontaine",
        "journalist",
    )
    assert contact.org == org and contact.created_by == bob
    assert [p.outlet for p in contact.positions.filter(end_date=None)] == [seen.outlet]
    # Provenance: where the contact came from, on the contact and in its history.
    assert contact.source_kind == SourceKind.MONITORING
    assert contact.source_label == "depuis la veille\u00a0: signature sur Acme opens a plant"
    changes = FieldChange.objects.filter(contact=contact)
    assert {c.field for c in changes} >= {"first_name", "last_name", "outlet"}
    assert {c.source_kind for c in changes} == {SourceKind.MONITORING}
    # The link, in the same step, audited once.
    assert linked == 1
    seen.item.refresh_from_db()
    seen.byline.refresh_from_db()
    assert seen.item.author_contact == contact
    assert (seen.byline.status, seen.byline.contact) == (Byline.LINKED, contact)
    entry = AuditEntry.objects.get(action="monitoring.byline_new_contact")
    assert entry.data["contact_id"] == contact.pk and entry.data["articles"] == 1
    # Found by the pickers' quick search at once.
    assert contact.pk in [p.contact.pk for p in review_pick(org, "Fontaine")]


def review_pick(org: Organisation, query: str) -> list[Any]:
    from pressdesk.contacts.services import pick

    return pick(org, query)[0]


def test_it_records_provenance_in_the_organisations_language(org: Organisation) -> None:
    org.language = "en"
    org.save()
    seen = unknown(org)
    contact, _linked = review.create_contact(org, seen.byline, first_name="Jean", last_name="Lf")
    assert contact.source_label == "from monitoring: byline on Acme opens a plant"
    assert (contact.first_name, contact.last_name) == ("Jean", "Lf")


def test_the_outlet_is_the_articles_sources(org: Organisation) -> None:
    seen = unknown(org)
    # The article itself was filed under no outlet: the source's is still known.
    type(seen.item).objects.for_org(org).filter(pk=seen.item.pk).update(outlet=None)
    contact, _linked = review.create_contact(org, seen.byline)
    assert [p.outlet for p in contact.positions.all()] == [seen.outlet]


def test_it_adds_no_contact_when_the_byline_was_decided_meanwhile(org: Organisation) -> None:
    seen = unknown(org)
    review.reject(org, seen.byline)
    with pytest.raises(review.AlreadyDecided):
        review.create_contact(org, seen.byline)
    # The contact created before the refusal was undone with it.
    assert not Contact.objects.for_org(org).filter(last_name="de La Fontaine").exists()
    assert not AuditEntry.objects.filter(action="monitoring.byline_new_contact").exists()


def test_a_failing_link_undoes_the_new_contact(org: Organisation, monkeypatch: Any) -> None:
    seen = unknown(org)

    def broken(*args: Any, **kwargs: Any) -> int:
        raise IntegrityError("disk full")

    monkeypatch.setattr(review, "_link_articles", broken)
    with pytest.raises(IntegrityError):
        review.create_contact(org, seen.byline)
    assert not Contact.objects.for_org(org).exists()
    seen.byline.refresh_from_db()
    assert seen.byline.status == Byline.PENDING


def test_it_refuses_a_contact_without_a_name(org: Organisation) -> None:
    seen = unknown(org)
    with pytest.raises(Refusal):
        review.create_contact(org, seen.byline, first_name=" ", last_name="")
    assert not Contact.objects.for_org(org).exists()


def test_later_articles_of_the_same_outlet_link_themselves(org: Organisation) -> None:
    seen = unknown(org, author="J. de La Fontaine")
    contact, _linked = review.create_contact(org, seen.byline, first_name="Jean")
    later = signed(org, "Acme hires", "J. de La Fontaine", outlet=seen.outlet, source=seen.source)
    assert later.author_contact == contact
    # Another paper's "J. de La Fontaine" is someone else until a person says otherwise.
    elsewhere = sample.outlet(org, "La Gazette")
    other = signed(org, "Acme expands", "J. de La Fontaine", outlet=elsewhere, source=None)
    assert other.author_contact is None
    # The full name as the press file has it links at any outlet, as it always did.
    full = signed(org, "Acme grows", "Jean de La Fontaine", outlet=elsewhere, source=None)
    assert full.author_contact == contact


def test_accepting_links_only_the_earlier_articles_of_the_same_outlet(org: Organisation) -> None:
    seen = unknown(org, author="J. Moreau")
    elsewhere = sample.outlet(org, "La Gazette")
    other = signed(org, "Acme expands", "J. Moreau", outlet=elsewhere, source=None)
    claire = journalist(org)
    assert review.accept(org, seen.byline, claire) == 1
    other.refresh_from_db()
    assert other.author_contact is None


def test_the_journalists_page_shows_articles_and_beats(org: Organisation) -> None:
    watch.save(org, "Usines", "plant")
    seen = unknown(org)
    contact, _linked = review.create_contact(org, seen.byline)
    assert [i.title for i in journalists.recent_articles(org, contact)] == ["Acme opens a plant"]
    assert journalists.beats(org, contact) == [("Acme", 1), ("Usines", 1)]


def test_save_contact_is_what_creates_the_contact(org: Organisation, monkeypatch: Any) -> None:
    # The press file's own creation path (search index, sort keys, provenance), not a copy.
    calls: list[dict[str, Any]] = []
    real = editing.save_contact

    def spy(*args: Any, **kwargs: Any) -> Contact:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(editing, "save_contact", spy)
    seen = unknown(org)
    review.create_contact(org, seen.byline)
    assert calls and calls[0]["source_kind"] == SourceKind.MONITORING


def test_a_short_form_with_a_particle_finds_its_journalist(org: Organisation) -> None:
    fontaine = sample.contact(org, "Jean", "de La Fontaine")
    sample.contact(org, "Paul", "Fontaine")
    seen = unknown(org, author="J. de La Fontaine")
    assert review.candidates(seen.byline) == [fontaine]
