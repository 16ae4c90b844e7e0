from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone, translation

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import gdpr, services
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    Interaction,
    Note,
    Outlet,
    Position,
)
from pressdesk.contacts.models.optout import OptOutReason
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
    r = as_bob.get(url(org, contact.pk) + "?lang=en")
    assert r.status_code == 200
    body = r.content.decode()
    assert "Your personal data held by Acme Énergie" in body
    for text in (
        "Dupont",
        EMAIL,
        "06 12 34 56 78",
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
def test_it_writes_in_the_persons_language(as_bob: Client, bob, org: Organisation) -> None:
    bob.language = "fr"
    bob.save()
    contact = person(org, languages=["en"])
    r = as_bob.get(url(org, contact.pk))
    assert r["Content-Language"] == "en"
    assert "Your personal data held by" in r.content.decode()
    r = as_bob.get(url(org, contact.pk) + "?lang=fr")
    assert r["Content-Language"] == "fr"


def _visible_text(html: str) -> str:
    # What the person reads: the page's text, without markup, attributes or the style sheets.
    text = re.sub(r"<(script|style|head)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", text))


def _english_labels() -> set[str]:
    """Every field name and choice label of the models the report draws on, in English."""
    labels: set[str] = set()
    for model in (Contact, ContactEmail, ContactPhone, Position, Outlet, Note, Interaction):
        for f in model._meta.concrete_fields:
            labels.add(str(f.verbose_name))
            labels.update(str(label) for _key, label in f.flatchoices)
    labels.update(str(label) for _key, label in OptOutReason.choices)
    return labels


@pytest.mark.django_db
def test_the_french_report_has_no_code_key_or_english(as_bob: Client, org: Organisation) -> None:
    contact = full_person(org)
    Contact.objects.filter(pk=contact.pk).update(
        country="GB",
        languages=["fr", "en"],
        preferred_channel="email",
        preferred_language="fr",
        preferred_format="pitch",
        retention_flagged_at=timezone.now(),
        social={"bluesky": "marie.bsky.social"},
    )
    services.opt_out(org, EMAIL, "objection", "phone")
    services.record_changes(
        contact,
        {"phones": ("", "+33612345678"), "lawful_basis": ("consent", "legitimate_interest")},
    )
    services.record_changes(contact, {"country": ("", "GB"), "languages": ("", "fr, en")})
    r = as_bob.get(url(org, contact.pk) + "?lang=fr")
    text = _visible_text(r.content.decode())
    for expected in (
        "Vos données personnelles",
        "Royaume-Uni",
        "français, anglais",
        "Intérêt légitime",
        "06 12 34 56 78",
        "Fichier importé",
        "Journaliste",
    ):
        assert expected in text, expected
    with translation.override("fr"):
        french = {str(label) for label in _english_labels()}
    keys = {str(key) for m in (Contact, Interaction, Outlet) for f in m._meta.concrete_fields
            for key, _label in f.flatchoices if str(key).isidentifier()}  # fmt: skip
    keys |= set(OptOutReason.values)
    names = {f.name for m in (Contact, ContactEmail, ContactPhone, Position, Note, Interaction)
             for f in m._meta.concrete_fields}  # fmt: skip
    words = set(re.findall(r"[\w-]+", text))
    # Field names and choice keys (lawful_basis, legitimate_interest, job_title, journalist…).
    assert not {w for w in words if w in names | keys and "_" in w}, "raw key"
    # Keys that are also French words ("réseau social", "radio") may appear as words.
    french_words = {"email", "consent", "radio", "podcast", "blog", "web", "tv", "social"}
    leaked = (keys - french_words) & words
    assert not leaked, leaked
    # English labels ("Legitimate interest", "Retention flagged at", "Created", "Updated")
    # except those French writes the same way ("Radio", "Notes").
    english = {label for label in _english_labels() if label not in french and len(label) > 3}
    assert not {label for label in english if re.search(rf"\b{re.escape(label)}\b", text)}
    for leftover in ("ID", f"#{contact.pk}", "+33612345678", "GB", "None", "True", "False"):
        assert not re.search(rf"(?<![\w#+]){re.escape(leftover)}(?!\w)", text), leftover


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


@pytest.mark.django_db
def test_the_french_report_tells_merges_sources_and_phones_as_the_contact_page_does(
    as_bob: Client, org: Organisation
) -> None:
    from pressdesk.contacts import duplicates

    contact = person(org, source_kind="import", source_label="salon-2026.csv (démo)")
    ContactPhone.objects.create(contact=contact, raw="06", e164="+33612345678", label="mobile")
    twin = person(
        org,
        "Marie",
        "Dupond",
        source_kind="import",
        source_label="annuaire.xlsx",
        region="Bretagne",
    )
    duplicates.merge(org, contact.pk, twin.pk)
    text = _visible_text(as_bob.get(url(org, contact.pk) + "?lang=fr").content.decode())
    text = re.sub(r"[ \t\n]+", " ", text)
    assert "Portable\u00a0: 06 12 34 56 78" in text
    assert "Fichier importé\u00a0: salon-2026.csv (démo)" in text and "))" not in text
    assert "Marie Dupond — annuaire.xlsx, intérêt légitime, fiche créée le" in text
    assert "Fusion de doublons\u00a0: Marie Dupond" in text
    assert f"#{twin.pk}" not in text and "name" not in text and "source_kind" not in text


@pytest.mark.django_db
def test_the_french_report_says_when_as_a_value_not_a_dangling_on(
    as_bob: Client, org: Organisation
) -> None:
    contact = person(org)
    text = _visible_text(as_bob.get(url(org, contact.pk) + "?lang=fr").content.decode())
    text = re.sub(r"[ \t\n]+", " ", text)
    assert "Mention d’information envoyée pas encore" in text
    assert "Dernière vérification de vos coordonnées jamais" in text
    assert " le pas encore" not in text and " le jamais" not in text
