from __future__ import annotations

import json

import pytest
from django.test import Client

from pressdesk.accounts.models import (
    ApiToken,
    AuditEntry,
    Membership,
    Organisation,
    User,
    token_hash,
)
from pressdesk.contacts.models import Contact, FieldChange
from pressdesk.contacts.tests import sample

BASE = "/api/v1/contacts/"


def bearer(user: User) -> dict[str, str]:
    raw = ApiToken.new_key()
    ApiToken.objects.create(
        membership=Membership.objects.get(user=user),
        name="test",
        prefix=raw[:8],
        key_hash=token_hash(raw),
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def press(org: Organisation) -> Organisation:
    ouest = sample.outlet(org, "Ouest-France", media_type="regional_daily")
    sample.contact(
        org, "Hélène", "Lefèvre", emails=["helene@example.fr"], at=ouest, beats=["Énergie"]
    )
    sample.contact(org, "Paul", "Martin", beats=["Agriculture"])
    return org


def test_it_lists_and_searches(client: Client, alice: User, press: Organisation) -> None:
    r = client.get(BASE, **bearer(alice))
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 2
    assert [c["last_name"] for c in data["items"]] == ["Lefèvre", "Martin"]
    r = client.get(BASE, {"q": "HELENE"}, **bearer(alice))
    [helene] = r.json()["items"]
    assert helene["emails"] == ["helene@example.fr"]
    assert helene["positions"] == [
        {"outlet_id": helene["positions"][0]["outlet_id"], "outlet": "Ouest-France", "title": ""}
    ]
    assert helene["beats"] == ["Énergie"]


def test_it_filters_and_paginates(client: Client, vera: User, press: Organisation) -> None:
    beat = press.beats.get(name="Agriculture")
    r = client.get(BASE, {"beat": beat.pk}, **bearer(vera))
    assert [c["last_name"] for c in r.json()["items"]] == ["Martin"]
    r = client.get(BASE, {"media_type": "regional_daily"}, **bearer(vera))
    assert [c["last_name"] for c in r.json()["items"]] == ["Lefèvre"]
    r = client.get(BASE, {"per_page": 1, "page": 2}, **bearer(vera))
    assert r.json()["count"] == 2
    assert [c["last_name"] for c in r.json()["items"]] == ["Martin"]
    r = client.get(BASE, {"sort": "nonsense"}, **bearer(vera))
    assert r.status_code == 422


def test_it_gets_one(client: Client, vera: User, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    r = client.get(f"{BASE}{paul.pk}", **bearer(vera))
    assert r.status_code == 200
    assert r.json()["first_name"] == "Paul"


def test_it_creates_with_api_provenance(client: Client, bob: User, press: Organisation) -> None:
    body = {
        "first_name": "Zoé",
        "last_name": "Roux",
        "emails": ["zoe.roux@example.fr"],
        "phones": ["06 12 34 56 78"],
        "outlet": "ouest-france",
        "beats": ["Climat"],
        "source_label": "CRM sync",
    }
    r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["phones"] == ["+33612345678"]
    assert data["positions"][0]["outlet"] == "Ouest-France"
    zoe = Contact.objects.get(pk=data["id"])
    assert (zoe.source_kind, zoe.source_label) == ("api", "CRM sync")
    assert FieldChange.objects.filter(contact=zoe, source_kind="api").exists()


def test_it_rejects_bad_input(client: Client, bob: User, press: Organisation) -> None:
    for body in (
        {"first_name": "X", "emails": ["nope"]},
        {"first_name": "X", "phones": ["call me"]},
        {"first_name": "X", "kind": "spy"},
        {"beats": ["x"]},
    ):
        r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
        assert r.status_code == 422, body
    assert press.contacts.count() == 2


def test_it_updates_only_what_is_given(client: Client, bob: User, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    r = client.patch(
        f"{BASE}{paul.pk}",
        json.dumps({"job_title": "Rédacteur en chef"}),
        content_type="application/json",
        **bearer(bob),
    )
    assert r.status_code == 200
    assert r.json()["job_title"] == "Rédacteur en chef"
    assert r.json()["beats"] == ["Agriculture"]
    change = FieldChange.objects.get(contact=paul, field="job_title")
    assert change.source_kind == "api"
    assert set(FieldChange.objects.filter(contact=paul).values_list("field", flat=True)) == {
        "job_title"
    }


def test_it_deletes(client: Client, bob: User, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    r = client.delete(f"{BASE}{paul.pk}", **bearer(bob))
    assert r.status_code == 204
    assert not Contact.objects.filter(pk=paul.pk).exists()
    assert AuditEntry.objects.filter(action="contact.delete", object_id=str(paul.pk)).exists()


def test_it_forbids_a_viewer_to_change(client: Client, vera: User, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    auth = bearer(vera)
    assert (
        client.post(
            BASE, json.dumps({"first_name": "X"}), content_type="application/json", **auth
        ).status_code
        == 403
    )
    assert (
        client.patch(f"{BASE}{paul.pk}", "{}", content_type="application/json", **auth).status_code
        == 403
    )
    assert client.delete(f"{BASE}{paul.pk}", **auth).status_code == 403
    assert press.contacts.count() == 2


def test_it_keeps_to_the_tokens_organisation(
    client: Client, charlie: User, press: Organisation
) -> None:
    paul = press.contacts.get(last_name="Martin")
    auth = bearer(charlie)
    assert client.get(BASE, **auth).json()["count"] == 0
    assert client.get(f"{BASE}{paul.pk}", **auth).status_code == 404
    assert (
        client.patch(f"{BASE}{paul.pk}", "{}", content_type="application/json", **auth).status_code
        == 404
    )
    assert client.delete(f"{BASE}{paul.pk}", **auth).status_code == 404


def test_it_needs_a_token(client: Client, press: Organisation) -> None:
    assert client.get(BASE).status_code == 401


def test_it_rejects_put(client: Client, bob: User, press: Organisation) -> None:
    paul = press.contacts.get(last_name="Martin")
    assert (
        client.put(
            f"{BASE}{paul.pk}", "{}", content_type="application/json", **bearer(bob)
        ).status_code
        == 405
    )


def test_it_answers_an_empty_page_past_the_end(
    client: Client, vera: User, org: Organisation
) -> None:
    sample.contact(org, "Marie", "Dupont")
    for page in ("99999999999999999999999", "9223372036854775807", "3"):
        r = client.get("/api/v1/contacts/", {"page": page}, **bearer(vera))
        assert r.status_code == 200, page
        assert r.json()["items"] == []
        assert r.json()["count"] == 1


INJECTION = "fr\r\nEMAIL;TYPE=INTERNET:x@evil.test\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Evil"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", [INJECTION]),
        ("languages", ["zz"]),
        ("languages", ["français"]),
        ("social", {"x\r\nEMAIL;TYPE=INTERNET:x@evil.test": "@marie"}),
        ("social", {"mastodon": "@marie@example.social\r\nEND:VCARD"}),
        ("social", {"x": "@marie\x1b[31m"}),
    ],
)
def test_it_refuses_what_the_form_refuses(
    client: Client, bob: User, press: Organisation, field: str, value: object
) -> None:
    marie = sample.contact(press, "Marie", "Curie")
    auth = bearer(bob)
    body = {"first_name": "Zoé", field: value}
    r = client.post(BASE, json.dumps(body), content_type="application/json", **auth)
    assert r.status_code == 422, r.content
    assert field in r.json()["detail"]
    r = client.patch(
        f"{BASE}{marie.pk}", json.dumps({field: value}), content_type="application/json", **auth
    )
    assert r.status_code == 422, r.content
    assert not Contact.objects.filter(first_name="Zoé").exists()
    marie.refresh_from_db()
    assert (marie.languages, marie.social) == ([], {})


def test_it_keeps_good_languages_and_handles(
    client: Client, bob: User, press: Organisation
) -> None:
    body = {"first_name": "Zoé", "languages": ["FR", " en "], "social": {"X": "@zoe"}}
    r = client.post(BASE, json.dumps(body), content_type="application/json", **bearer(bob))
    assert r.status_code == 201, r.content
    assert (r.json()["languages"], r.json()["social"]) == (["fr", "en"], {"x": "@zoe"})


def test_it_refuses_an_oversized_body(client: Client, bob: User, press: Organisation) -> None:
    body = json.dumps({"first_name": "Zoé", "notes": "x" * (3 * 1024 * 1024)})
    r = client.post(BASE, body, content_type="application/json", **bearer(bob))
    assert r.status_code in (400, 413)
    assert not Contact.objects.filter(first_name="Zoé").exists()


@pytest.fixture
def spread(org: Organisation) -> Organisation:
    """Three contacts in three regions, countries and languages."""
    for first, region, country, language in (
        ("Anne", "Bretagne", "FR", "fr"),
        ("Bert", "Flandre", "BE", "nl"),
        ("Carl", "Normandie", "GB", "en"),
    ):
        sample.contact(org, first, "Test", region=region, country=country, languages=[language])
    return org


@pytest.mark.parametrize(
    ("param", "values", "expected"),
    [
        ("region", ["Bretagne"], ["Anne"]),
        ("region", ["Bretagne", "Normandie"], ["Anne", "Carl"]),
        ("country", ["BE", "GB"], ["Bert", "Carl"]),
        ("language", ["fr", "nl"], ["Anne", "Bert"]),
        ("language", ["fr", "nl", "en"], ["Anne", "Bert", "Carl"]),
    ],
)
def test_it_filters_on_several_regions_countries_and_languages(
    client: Client,
    vera: User,
    spread: Organisation,
    param: str,
    values: list[str],
    expected: list[str],
) -> None:
    r = client.get(BASE, {param: values, "sort": "name"}, **bearer(vera))
    assert r.status_code == 200
    assert sorted(c["first_name"] for c in r.json()["items"]) == expected
    assert r.json()["count"] == len(expected)


def test_it_combines_multi_valued_filters_with_and(
    client: Client, vera: User, spread: Organisation
) -> None:
    query = {"region": ["Bretagne", "Flandre"], "language": ["nl", "en"]}
    r = client.get(BASE, query, **bearer(vera))
    assert [c["first_name"] for c in r.json()["items"]] == ["Bert"]


def test_it_documents_the_repeatable_filters(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p for p in schema["paths"][BASE]["get"]["parameters"]}
    for name in ("region", "country", "language"):
        assert parameters[name]["schema"]["type"] == "array", name
        assert "Repeat the parameter" in parameters[name]["description"], name
