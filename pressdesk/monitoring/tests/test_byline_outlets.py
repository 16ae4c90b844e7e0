"""A byline suggestion per name *and outlet*: the same spelling at two papers is two people until
someone links each, and linking one leaves the other's articles alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.tests import sample
from pressdesk.lib.text import normalise
from pressdesk.monitoring import bylines, review
from pressdesk.monitoring.models import Byline
from pressdesk.monitoring.tests.byline_data import signed, unknown

pytestmark = pytest.mark.django_db

FOURNIER = normalise("J. Fournier")


def test_the_same_spelling_at_another_outlet_gets_its_own_suggestion(org: Organisation) -> None:
    lemonde = unknown(org, author="J. Fournier")
    julien = sample.contact(org, "Julien", "Fournier")
    assert review.accept(org, lemonde.byline, julien) == 1

    ouest = sample.outlet(org, "Ouest-France")
    theirs = signed(org, "Acme hires in Brest", "J. Fournier", outlet=ouest, source=None)
    assert theirs.author_contact is None
    suggested = Byline.objects.for_org(org).get(name_normalised=FOURNIER, outlet=ouest)
    assert (suggested.status, suggested.articles, suggested.last_item) == (
        Byline.PENDING,
        1,
        theirs,
    )
    assert list(review.pending_bylines(org)) == [suggested]
    # The linked row at the first outlet counted none of it.
    lemonde.byline.refresh_from_db()
    assert (lemonde.byline.status, lemonde.byline.articles) == (Byline.LINKED, 1)
    # Later articles at the first outlet still follow its link.
    again = signed(org, "Acme hires", "J. Fournier", outlet=lemonde.outlet, source=lemonde.source)
    assert again.author_contact == julien


def test_linking_one_outlets_byline_leaves_the_others_articles(org: Organisation) -> None:
    lemonde = unknown(org, author="J. Fournier")
    ouest = sample.outlet(org, "Ouest-France")
    theirs = signed(org, "Acme hires in Brest", "J. Fournier", outlet=ouest, source=None)
    julien = sample.contact(org, "Julien", "Fournier")
    jeanne = sample.contact(org, "Jeanne", "Fournier")
    rows = Byline.objects.for_org(org).filter(name_normalised=FOURNIER)
    assert rows.count() == 2

    assert review.accept(org, lemonde.byline, julien) == 1
    theirs.refresh_from_db()
    assert theirs.author_contact is None
    ouest_row = rows.get(outlet=ouest)
    assert ouest_row.status == Byline.PENDING
    # Both candidates are offered: the review is the Ouest-France row's own.
    assert set(review.candidates(ouest_row)) == {julien, jeanne}

    assert review.accept(org, ouest_row, jeanne) == 1
    theirs.refresh_from_db()
    lemonde.item.refresh_from_db()
    assert (theirs.author_contact, lemonde.item.author_contact) == (jeanne, julien)
    later = signed(org, "Acme in Rennes", "J. Fournier", outlet=ouest, source=None)
    assert later.author_contact == jeanne


def test_adding_the_author_as_a_contact_links_only_that_outlets_articles(
    org: Organisation,
) -> None:
    lemonde = unknown(org, author="J. Fournier")
    ouest = sample.outlet(org, "Ouest-France")
    theirs = signed(org, "Acme hires in Brest", "J. Fournier", outlet=ouest, source=None)
    contact, linked = review.create_contact(org, lemonde.byline, first_name="Julien")
    assert linked == 1
    theirs.refresh_from_db()
    lemonde.item.refresh_from_db()
    assert (lemonde.item.author_contact, theirs.author_contact) == (contact, None)


def test_a_full_name_still_links_at_any_outlet(org: Organisation) -> None:
    julien = sample.contact(org, "Julien", "Fournier")
    for name in ("Le Monde", "Ouest-France"):
        item = signed(
            org, f"Acme in {name}", "Julien Fournier", outlet=sample.outlet(org, name), source=None
        )
        assert item.author_contact == julien
    unsigned = signed(org, "Acme online", "Julien Fournier", outlet=None, source=None)
    assert unsigned.author_contact == julien
    assert not Byline.objects.for_org(org).exists()


def test_an_unknown_outlet_is_one_more_outlet(org: Organisation) -> None:
    lemonde = unknown(org, author="J. Fournier")
    first = signed(org, "Acme online", "J. Fournier", outlet=None, source=None)
    second = signed(org, "Acme online again", "J. Fournier", outlet=None, source=None)
    nowhere = Byline.objects.for_org(org).get(name_normalised=FOURNIER, outlet=None)
    assert (nowhere.articles, nowhere.last_item) == (2, second)
    julien = sample.contact(org, "Julien", "Fournier")
    # Linking the row of articles with no outlet links those, not Le Monde's.
    assert review.accept(org, nowhere, julien) == 2
    first.refresh_from_db()
    lemonde.item.refresh_from_db()
    assert (first.author_contact, lemonde.item.author_contact) == (julien, None)


@pytest.mark.parametrize("at_outlet", [True, False])
def test_the_database_refuses_a_second_row_for_a_name_and_outlet(
    org: Organisation, other_org: Organisation, at_outlet: bool
) -> None:
    outlet = sample.outlet(org, "Le Monde") if at_outlet else None
    Byline.objects.for_org(org).create(name="J. Fournier", name_normalised=FOURNIER, outlet=outlet)
    # Another organisation, or another outlet, may have the same name.
    Byline.objects.for_org(other_org).create(
        name="J. Fournier", name_normalised=FOURNIER, outlet=None
    )
    Byline.objects.for_org(org).create(
        name="J. Fournier",
        name_normalised=FOURNIER,
        outlet=None if at_outlet else sample.outlet(org, "Le Monde"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.for_org(org).create(
            name="J Fournier", name_normalised=FOURNIER, outlet=outlet
        )


@pytest.mark.parametrize("at_outlet", [True, False])
def test_a_worker_that_loses_the_race_uses_the_winners_suggestion(
    org: Organisation, monkeypatch: pytest.MonkeyPatch, at_outlet: bool
) -> None:
    outlet_id = sample.outlet(org, "Ouest-France").pk if at_outlet else None
    queryset = type(Byline.objects.for_org(org))
    real_get = queryset.get
    winner: list[Byline] = []

    def racing_get(self: Any, *args: Any, **kwargs: Any) -> Any:
        # Another worker inserts the row between this one's lookup and its insert.
        if self.model is Byline and not winner:
            winner.append(
                Byline.objects.for_org(org).create(
                    name="J. Fournier", name_normalised=FOURNIER, outlet_id=outlet_id
                )
            )
            raise Byline.DoesNotExist
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(queryset, "get", racing_get)
    assert bylines.suggestion(org.pk, "J. Fournier", outlet_id) == winner[0]
    assert Byline.objects.for_org(org).count() == 1


def test_deleting_an_outlet_drops_its_suggestions_not_the_articles_links(
    org: Organisation,
) -> None:
    lemonde = unknown(org, author="J. Fournier")
    julien = sample.contact(org, "Julien", "Fournier")
    review.accept(org, lemonde.byline, julien)
    nowhere = signed(org, "Acme online", "J. Fournier", outlet=None, source=None)
    # Emptying the outlet of Le Monde's row would collide with the no-outlet row.
    lemonde.outlet.delete()
    assert list(Byline.objects.for_org(org).values_list("outlet", "articles")) == [(None, 1)]
    lemonde.item.refresh_from_db()
    assert lemonde.item.author_contact == julien
    assert bylines.suggestion(org.pk, "J. Fournier", None).last_item == nowhere
