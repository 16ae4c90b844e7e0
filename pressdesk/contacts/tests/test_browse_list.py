from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import facets, services
from pressdesk.contacts.filters import ContactFilterForm
from pressdesk.contacts.models import ContactList
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/"


@pytest.fixture
def press(org: Organisation) -> Organisation:
    ouest = sample.outlet(org, "Ouest-France", region="Bretagne", tier=1)
    bleu = sample.outlet(
        org, "France Bleu Touraine", media_type="radio", region="Centre-Val de Loire"
    )
    sample.contact(
        org, "Hélène", "Lefèvre", emails=["helene@example.fr"], at=ouest, beats=["Énergie"]
    )
    sample.contact(org, "Paul", "Martin", at=bleu, beats=["Agriculture"], tags=["VIP"])
    sample.contact(org, "Émilie", "Zola", languages=["en"], kind="freelance")
    return org


def names(r) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c) for c in r.context["page"].object_list]


def test_it_works(as_alice: Client, press: Organisation) -> None:
    r = as_alice.get(URL)
    assert r.status_code == 200
    # Folded sort: Émilie Zola sorts with the Z's, not after them.
    assert names(r) == ["Hélène Lefèvre", "Paul Martin", "Émilie Zola"]
    body = r.content.decode()
    assert "3 contacts" in body
    assert "Ouest-France" in body
    assert 'hx-trigger="keyup changed delay:300ms, search"' in body
    assert "Add a contact" in body
    # Regions are offered as the ones in the file, each a checkbox with its count.
    assert 'name="region" value="Bretagne"' in body
    assert "<legend>Region</legend>" in body


def test_it_searches(as_alice: Client, press: Organisation) -> None:
    r = as_alice.get(URL, {"q": "helene"})
    assert names(r) == ["Hélène Lefèvre"]
    assert "1 contact" in r.content.decode()


def test_it_answers_htmx_with_the_results_only(as_alice: Client, press: Organisation) -> None:
    r = as_alice.get(URL, {"q": "mart"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = r.content.decode()
    assert "Paul Martin" in body
    assert "<html" not in body
    assert "HX-Request" in r["Vary"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"media_type": "radio"}, ["Paul Martin"]),
        ({"tier": "1"}, ["Hélène Lefèvre"]),
        ({"region": "Bretagne"}, ["Hélène Lefèvre"]),
        ({"region": "Centre-Val de Loire"}, ["Paul Martin"]),
        ({"outlet_name": "bleu"}, ["Paul Martin"]),
        ({"language": "EN"}, ["Émilie Zola"]),
        ({"kind": "freelance"}, ["Émilie Zola"]),
        ({"has_email": "yes"}, ["Hélène Lefèvre"]),
        ({"has_email": "no"}, ["Paul Martin", "Émilie Zola"]),
        ({"sort": "outlet"}, ["Paul Martin", "Hélène Lefèvre", "Émilie Zola"]),
    ],
)
def test_it_filters(
    as_alice: Client, press: Organisation, params: dict, expected: list[str]
) -> None:
    assert names(as_alice.get(URL, params)) == expected


def test_it_filters_by_beat_and_tag(as_alice: Client, press: Organisation) -> None:
    beat = press.beats.get(name="Énergie")
    tag = press.tags.get(name="VIP")
    assert names(as_alice.get(URL, {"beat": beat.pk})) == ["Hélène Lefèvre"]
    assert names(as_alice.get(URL, {"tag": tag.pk})) == ["Paul Martin"]
    assert names(as_alice.get(URL, {"beat": beat.pk, "tag": tag.pk})) == []


def test_it_filters_by_dates(as_alice: Client, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    paul.last_active_at = timezone.now() - timedelta(days=400)
    paul.save()
    cutoff = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert names(as_alice.get(URL, {"active_before": cutoff})) == [
        "Hélène Lefèvre",
        "Paul Martin",
        "Émilie Zola",
    ]
    assert names(as_alice.get(URL, {"active_after": "2000-01-01"})) == ["Paul Martin"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert len(names(as_alice.get(URL, {"created_before": tomorrow}))) == 3
    assert names(as_alice.get(URL, {"created_after": tomorrow})) == []


def test_it_paginates(as_alice: Client, org: Organisation) -> None:
    for n in range(55):
        sample.contact(org, "Jean", f"Nom{n:02d}")
    r = as_alice.get(URL)
    assert len(r.context["page"].object_list) == 50
    assert "55 contacts" in r.content.decode()
    r = as_alice.get(URL, {"page": 2})
    assert len(r.context["page"].object_list) == 5


def test_it_shows_no_edit_controls_to_a_viewer(as_vera: Client, press: Organisation) -> None:
    r = as_vera.get(URL, {"q": "paul"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "Add a contact" not in body
    assert 'name="contact"' not in body
    assert "Save as segment" not in body


def test_it_checks_the_organisation(as_charlie: Client, press: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_alice: Client, press: Organisation) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_requires_login(client: Client, press: Organisation) -> None:
    assert client.get(URL).status_code == 302


def test_it_survives_a_page_number_past_the_end(as_alice: Client, press: Organisation) -> None:
    for page in ("99999999999999999999999", "-1", "x"):
        r = as_alice.get(URL, {"page": page})
        assert r.status_code == 200, page
        assert "Lefèvre" in r.content.decode()


def facet(r, name: str) -> dict[str, tuple[int | None, bool]]:  # type: ignore[no-untyped-def]
    """A checkbox filter's values on the page: label → (count, ticked)."""
    groups = [g for g in r.context["facets"] if g["name"] == name]
    if not groups:
        return {}
    [group] = groups
    return {o.label: (o.count, o.checked) for o in group["shown"] + group["folded"]}


def test_it_shows_checkbox_filters_with_counts(as_alice: Client, press: Organisation) -> None:
    r = as_alice.get(URL)
    assert facet(r, "region") == {"Bretagne": (1, False), "Centre-Val de Loire": (1, False)}
    assert facet(r, "tier") == {"1 = must-have": (1, False)}
    assert facet(r, "language") == {"English": (1, False)}
    assert facet(r, "media_type") == {"Radio": (1, False), "Regional daily (PQR)": (1, False)}
    assert facet(r, "beat") == {"Agriculture": (1, False), "Énergie": (1, False)}
    body = r.content.decode()
    assert '<fieldset class="facet" id="facet-region">' in body
    assert "<legend>Priority</legend>" in body
    assert 'name="tier" value="1"' in body
    # Ticking a region: the other regions are still offered (they would widen the choice), and
    # the other filters count within it.
    r = as_alice.get(URL, {"region": "Bretagne"})
    assert facet(r, "region") == {"Bretagne": (1, True), "Centre-Val de Loire": (None, False)}
    assert facet(r, "media_type") == {"Regional daily (PQR)": (1, False)}


def test_it_counts_lists(as_alice: Client, press: Organisation) -> None:
    salon = ContactList.objects.create(org=press, name="Salon de l’agriculture")
    salon.memberships.create(contact=press.contacts.get(last_name="Martin"))
    r = as_alice.get(URL)
    assert facet(r, "in_list") == {"Salon de l’agriculture": (1, False)}
    r = as_alice.get(URL, {"region": "Bretagne"})
    assert facet(r, "in_list") == {}
    r = as_alice.get(URL, {"in_list": salon.pk})
    assert facet(r, "in_list") == {"Salon de l’agriculture": (1, True)}


def test_it_names_languages_countries_and_priorities_in_french(
    as_alice: Client, alice: User, press: Organisation
) -> None:
    alice.language = "fr"
    alice.save()
    press.contacts.filter(last_name="Zola").update(country="GB")
    facets.refresh(press.contacts.values_list("pk", flat=True))
    body = as_alice.get(URL).content.decode()
    assert "<legend>Priorité</legend>" in body
    assert "1 = incontournable" in body
    assert "anglais" in body
    assert "Royaume-Uni" in body
    body = as_alice.get(URL, {"language": "en"}).content.decode()
    assert "Langue\u00a0: anglais" in body


def test_it_shows_filters_in_force_as_removable_chips(
    as_alice: Client, press: Organisation
) -> None:
    r = as_alice.get(URL, {"region": "Bretagne", "tier": "1"})
    chips = {(c["label"], c["value"]): c["url"] for c in r.context["chips"]}
    assert chips == {
        ("Priority", "1 = must-have"): f"{URL}?region=Bretagne",
        ("Region", "Bretagne"): f"{URL}?tier=1",
    }
    body = r.content.decode()
    assert f'href="{URL}?region=Bretagne"' in body
    assert "Clear all filters" in body
    assert names(as_alice.get(f"{URL}?tier=1")) == ["Hélène Lefèvre"]


def test_it_keeps_only_the_parameters_that_are_set(as_alice: Client, press: Organisation) -> None:
    r = as_alice.get(f"{URL}?q=&region=Bretagne&outlet_name=&lawful_basis=&active_after=")
    assert r.status_code == 302
    assert r["Location"] == f"{URL}?region=Bretagne"
    assert as_alice.get(f"{URL}?q=&sort=").headers["Location"] == URL
    # htmx swaps the results in place: the address bar gets the short URL.
    r = as_alice.get(f"{URL}?q=&region=Bretagne", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert r.status_code == 200
    assert r["HX-Push-Url"] == f"{URL}?region=Bretagne"
    body = r.content.decode()
    assert '<div id="facets" hx-swap-oob="true">' in body
    # The links on the page carry the set filters only.
    [page_link] = [c["url"] for c in r.context["chips"]]
    assert page_link == URL


def test_it_ignores_other_organisations_ids(
    as_alice: Client, press: Organisation, other_org: Organisation
) -> None:
    theirs = services.beat(other_org, "Énergie")
    their_list = ContactList.objects.create(org=other_org, name="Leurs contacts")
    assert names(as_alice.get(URL, {"beat": theirs.pk})) == []
    assert names(as_alice.get(URL, {"in_list": their_list.pk})) == []
    r = as_alice.get(URL)
    assert "Leurs contacts" not in r.content.decode()


def walk(client: Client, params: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every page by its Next links, then back by Previous: the names read each way."""
    forward: list[str] = []
    r = client.get(URL, params)
    pages = [r]
    while "next" in r.context["page_links"]:
        forward += names(r)
        r = client.get(URL + r.context["page_links"]["next"])
        pages.append(r)
    forward += names(r)
    backward: list[str] = names(r)
    while "previous" in r.context["page_links"]:
        r = client.get(URL + r.context["page_links"]["previous"])
        backward = names(r) + backward
    return forward, backward


@pytest.mark.parametrize("sort", ["name", "-created", "last_active", "outlet"])
def test_it_pages_by_cursor_in_every_order(as_alice: Client, org: Organisation, sort: str) -> None:
    ouest = sample.outlet(org, "Ouest-France")
    for n in range(120):
        person = sample.contact(org, "Jean", f"Nom{n % 40:02d}", at=ouest if n % 3 else None)
        if n % 4:
            person.last_active_at = timezone.now() - timedelta(days=n % 7)
            person.save()
    everyone = [str(c) for c in ContactFilterForm(org, QueryDict(f"sort={sort}")).queryset()]
    forward, backward = walk(as_alice, {"sort": sort})
    assert forward == everyone
    assert backward == everyone


def test_it_shows_page_numbers_and_survives_bad_cursors(
    as_alice: Client, org: Organisation
) -> None:
    for n in range(120):
        sample.contact(org, "Jean", f"Nom{n:03d}")
    r = as_alice.get(URL)
    assert "Page 1 of 3" in r.content.decode()
    r = as_alice.get(URL + r.context["page_links"]["next"])
    assert "Page 2 of 3" in r.content.decode()
    assert names(r)[0] == "Jean Nom050"
    # A cursor that is not one shows the first page.
    r = as_alice.get(URL, {"after": "not-a-cursor", "page": "7"})
    assert r.status_code == 200
    assert names(r)[0] == "Jean Nom000"
    # A shared link still opens the same page.
    r2 = as_alice.get(URL + as_alice.get(URL).context["page_links"]["next"])
    assert names(r2)[0] == "Jean Nom050"
