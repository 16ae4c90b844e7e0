from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.tests import sample

URL = "/o/acme/contacts/outlets/"


def test_it_lists_outlets_with_journalist_counts(as_vera: Client, org: Organisation) -> None:
    ouest = sample.outlet(org, "Ouest-France")
    sample.outlet(org, "Les Échos", media_type="daily")
    sample.contact(org, "Marie", "Dupont", at=ouest)
    sample.contact(org, "Paul", "Martin", at=ouest)
    r = as_vera.get(URL)
    assert r.status_code == 200
    counts = {o.name: o.journalist_count for o in r.context["page"].object_list}
    assert counts == {"Les Échos": 0, "Ouest-France": 2}
    assert "Add an outlet" not in r.content.decode()


def test_it_searches_and_filters(as_alice: Client, org: Organisation) -> None:
    sample.outlet(org, "Les Échos", media_type="daily")
    sample.outlet(org, "France Bleu Touraine", media_type="radio")
    r = as_alice.get(URL, {"q": "echos"})
    assert [o.name for o in r.context["page"].object_list] == ["Les Échos"]
    r = as_alice.get(URL, {"media_type": "radio"})
    assert [o.name for o in r.context["page"].object_list] == ["France Bleu Touraine"]


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_alice: Client, org: Organisation) -> None:
    assert as_alice.post(URL).status_code == 405


def test_it_survives_a_page_number_past_the_end(as_vera: Client, org: Organisation) -> None:
    sample.outlet(org, "Ouest-France")
    for page in ("99999999999999999999999", "-1", "x"):
        r = as_vera.get(URL, {"page": page})
        assert r.status_code == 200, page
        assert "Ouest-France" in r.content.decode()


def test_it_reads_in_french_with_no_empty_region_before_the_country(
    as_vera: Client, vera: User, org: Organisation
) -> None:
    vera.language = "fr"
    vera.save()
    sample.outlet(org, "The Guardian", media_type="daily", country="GB", tier=1)
    sample.outlet(org, "Ouest-France", region="Bretagne", country="FR", tier=2)
    page = as_vera.get(URL).content.decode()
    assert ">Royaume-Uni</td>" in page and ">Bretagne (France)</td>" in page
    assert "— (" not in page
    # Priority, as the filters and the outlet page call it, with its meaning.
    assert '<th scope="col">Priorité</th>' in page and "1 = incontournable" in page
    assert "Catégorie" not in page
