from __future__ import annotations

import json

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import gdpr, services
from pressdesk.contacts.models import Contact
from pressdesk.contacts.tests.gdpr_support import EMAIL, full_person, person


def url(org: Organisation, pk: int, suffix: str = "access/") -> str:
    return f"/o/{org.slug}/contacts/gdpr/contact/{pk}/{suffix}"


@pytest.mark.django_db
def test_it_exports_everything_as_json(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    services.opt_out(org, EMAIL.upper(), "objection", "phone")
    r = as_bob.get(url(org, contact.pk, "access.json"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    assert f'filename="contact-{contact.pk}.json"' in r["Content-Disposition"]
    data = json.loads(r.content)
    person_data = data["contact"]
    assert data["controller"]["organisation"] == "Acme Énergie"
    assert person_data["first_name"] == "Marie"
    assert person_data["last_name"] == "Dupont"
    assert person_data["job_title"] == "Journaliste énergie"
    assert person_data["lawful_basis"] == "legitimate_interest"
    assert person_data["source_kind"] == "import"
    assert person_data["source_label"] == "cision-2026.csv"
    assert "notice_sent_at" in person_data
    assert person_data["beats"] == ["Énergie"]
    assert person_data["tags"] == ["VIP"]
    assert [e["email"] for e in data["emails"]] == [EMAIL, "marie@perso.example.net"]
    assert [e["opted_out"] for e in data["emails"]] == [True, False]
    assert data["emails"][0]["opt_out_reason"] == "objection"
    assert data["phones"][0]["e164"] == "+33612345678"
    assert data["positions"][0]["outlet"]["name"] == "Ouest-France"
    assert data["positions"][0]["title"] == "Rédactrice"
    assert data["lists"][0]["name"] == "Énergie"
    assert data["notes"][0]["text"] == "Prefers calls before 10am"
    assert [i["kind"] for i in data["interactions"]] == ["call"]
    assert {h["field"] for h in data["history"]} == {"job_title"}
    assert data["opt_out"] == {"opted_out": True, "reasons": ["objection"]}


@pytest.mark.django_db
def test_it_exports_every_column_but_internal_ones(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    data = json.loads(as_bob.get(url(org, contact.pk, "access.json")).content)
    internal = gdpr.INTERNAL_FIELDS
    assert {"org", "search_text", "preference_token", "created_by"} <= internal
    columns = {f.name for f in Contact._meta.concrete_fields} - internal
    assert {"first_name", "lawful_basis", "source_kind", "notice_sent_at", "created"} <= columns
    assert columns <= set(data["contact"])
    assert not internal & set(data["contact"])


@pytest.mark.django_db
def test_it_shows_a_readable_page(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    r = as_bob.get(url(org, contact.pk))
    assert r.status_code == 200
    body = r.content.decode()
    assert "Personal data held by Acme Énergie" in body
    for text in (
        "Dupont",
        EMAIL,
        "+33612345678",
        "Ouest-France",
        "Énergie",
        "Prefers calls before 10am",
        "Called about the wind farm",
        "Legitimate interest",
        "cision-2026.csv",
        "Imported file",
    ):
        assert text in body, text
    assert "Content-Disposition" not in r


@pytest.mark.django_db
def test_it_speaks_the_users_language(as_bob: Client, bob, org: Organisation) -> None:
    bob.language = "fr"
    bob.save()
    contact = person(org)
    r = as_bob.get(url(org, contact.pk))
    assert r["Content-Language"] == "fr"
    assert '<html lang="fr">' in r.content.decode()


@pytest.mark.django_db
def test_it_offers_the_page_as_a_download(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    r = as_bob.get(url(org, contact.pk) + "?download=1")
    assert f'attachment; filename="contact-{contact.pk}.html"' == r["Content-Disposition"]


@pytest.mark.django_db
def test_it_audits_each_export(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    as_bob.get(url(org, contact.pk))
    as_bob.get(url(org, contact.pk, "access.json"))
    entries = AuditEntry.objects.filter(action="contact.access_export").order_by("pk")
    assert [e.data["format"] for e in entries] == ["html", "json"]
    assert {e.data["contact_id"] for e in entries} == {contact.pk}
    assert {e.actor_label for e in entries} == {"bob@example.org"}


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["access/", "access.json"])
def test_it_checks_ownership(as_charlie: Client, org: Organisation, suffix: str) -> None:
    contact = person(org)
    assert as_charlie.get(url(org, contact.pk, suffix)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["access/", "access.json"])
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, suffix: str) -> None:
    contact = person(org)
    assert as_vera.get(url(org, contact.pk, suffix)).status_code == 403
    assert not AuditEntry.objects.filter(action="contact.access_export").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", ["access/", "access.json"])
def test_it_rejects_post(as_bob: Client, org: Organisation, suffix: str) -> None:
    contact = person(org)
    assert as_bob.post(url(org, contact.pk, suffix)).status_code == 405
