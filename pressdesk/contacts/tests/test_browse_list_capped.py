"""The contact list past its selection cap: a count that says "more than", values without counts."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import filters
from pressdesk.contacts.filters import ContactFilterForm, Tally, to_querydict
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/"


@pytest.fixture
def press(org: Organisation) -> Organisation:
    ouest = sample.outlet(org, "Ouest-France", region="Bretagne")
    for n in range(3):
        sample.contact(org, "Anne", f"Bretonne{n}", at=ouest, beats=["Pêche"])
    sample.contact(org, "Paul", "Martin", region="Occitanie", beats=["Pêche"])
    return org


def counts(r) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    [group] = [g for g in r.context["facets"] if g["name"] == "region"]
    return {o.label: o.count for o in group["shown"] + group["folded"]}


def test_it_counts_exactly_under_the_cap(press: Organisation) -> None:
    peche = str(press.beats.get(name="Pêche").pk)
    form = ContactFilterForm(press, to_querydict({"beat": [peche], "region": "Bretagne"}))
    assert form.tally() == Tally(3)
    assert not form.counts_capped()
    assert ContactFilterForm(press, to_querydict({})).tally() == Tally(4)
    # With a filter that is not a checkbox one, read through the contacts.
    assert ContactFilterForm(press, to_querydict({"q": "bretonne1"})).tally() == Tally(1)


def test_it_says_more_than_past_the_cap(
    as_alice: Client, press: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    peche = str(press.beats.get(name="Pêche").pk)
    r = as_alice.get(URL, {"beat": peche})
    assert "4 contacts" in r.content.decode()
    assert counts(r) == {"Bretagne": 3, "Occitanie": 1}
    monkeypatch.setattr(filters, "SELECTION_CAP", 2)
    r = as_alice.get(URL, {"beat": peche})
    body = r.content.decode()
    assert "More than 2 contacts" in body
    assert r.context["page"].capped
    # The values are all offered, none with a count, and the page says why.
    assert counts(r) == {"Bretagne": None, "Occitanie": None}
    assert "the number of contacts per value is shown once the filters select fewer" in body
    assert 'class="facet-count"' not in body
    # The contacts themselves are all there, in order, whatever the cap.
    names = [str(c) for c in r.context["page"].object_list]
    assert names == ["Anne Bretonne0", "Anne Bretonne1", "Anne Bretonne2", "Paul Martin"]
    # Without filters, the whole file is counted exactly.
    assert "4 contacts" in as_alice.get(URL).content.decode()


def test_it_says_so_in_french(
    as_alice: Client, alice: User, press: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice.language = "fr"
    alice.save()
    monkeypatch.setattr(filters, "SELECTION_CAP", 2)
    peche = str(press.beats.get(name="Pêche").pk)
    body = as_alice.get(URL, {"beat": peche}).content.decode()
    assert "Plus de 2 contacts" in body
    assert "le nombre de contacts par valeur" in body


def test_it_pages_without_a_total_past_the_cap(
    as_alice: Client, org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(55):
        sample.contact(org, "Jean", f"Dupont{n:02d}", region="Bretagne")
    monkeypatch.setattr(filters, "SELECTION_CAP", 10)
    r = as_alice.get(URL, {"region": "Bretagne"})
    body = r.content.decode()
    assert "More than 10 contacts" in body
    assert "Page 1</span>" in body
    assert "Page 1 of" not in body
    r = as_alice.get(r.context["page_links"]["next"].replace("?", URL + "?", 1))
    assert [str(c) for c in r.context["page"].object_list] == [
        f"Jean Dupont{n:02d}" for n in range(50, 55)
    ]
