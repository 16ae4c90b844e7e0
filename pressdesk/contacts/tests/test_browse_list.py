from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation
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
    # Regions are matched exactly, so the filter offers the ones in the file.
    assert '<option value="Bretagne">Bretagne</option>' in body


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
