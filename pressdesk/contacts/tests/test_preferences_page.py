from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import preferences, services
from pressdesk.contacts.models import Contact, FieldChange, Interaction, OptOut
from pressdesk.contacts.tests.gdpr_support import person


def url(token: str) -> str:
    return f"/p/{token}/"


def snapshot() -> tuple[Any, ...]:
    """Everything a visit could change."""
    return (
        list(Contact.objects.values()),
        list(Contact.beats.through.objects.values()),
        FieldChange.objects.count(),
        Interaction.objects.count(),
        list(OptOut.objects.values()),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def contact(org: Organisation) -> Contact:
    services.beat(org, "Énergie")
    services.beat(org, "Climat")
    return person(org)


@pytest.mark.django_db
def test_it_shows_the_page_in_french_by_default(client: Client, contact: Contact) -> None:
    r = client.get(url(preferences.token_for(contact)))
    assert r.status_code == 200
    assert r["Content-Language"] == "fr"
    assert r["Cache-Control"].startswith("max-age=0")
    body = r.content.decode()
    assert '<html lang="fr">' in body
    assert "Acme Énergie" in body
    assert "Énergie" in body and "Climat" in body
    assert "?lang=en" in body
    # No Pressdesk chrome: no login menu, no navigation, no search box.
    assert "Log out" not in body and "sidenav" not in body and "global-search" not in body


@pytest.mark.django_db
def test_it_switches_to_english(client: Client, contact: Contact) -> None:
    r = client.get(url(preferences.token_for(contact)) + "?lang=en")
    assert r["Content-Language"] == "en"
    assert "Your press contact preferences" in r.content.decode()


@pytest.mark.django_db
def test_it_shows_only_the_organisations_beats(
    client: Client, contact: Contact, other_org: Organisation
) -> None:
    services.beat(other_org, "Secret beat")
    body = client.get(url(preferences.token_for(contact))).content.decode()
    assert "Secret beat" not in body


@pytest.mark.django_db
def test_a_get_changes_nothing(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    before = snapshot()
    client.get(url(token))
    client.get(url(token) + "?lang=en&done=never")
    for action in ("never/", "again/", "keep/"):
        assert client.get(url(token) + action).status_code == 405
    assert client.get(url(token) + "unsubscribe/").status_code == 200
    assert snapshot() == before


@pytest.mark.django_db
def test_it_saves_preferences(client: Client, org: Organisation, contact: Contact) -> None:
    token = preferences.token_for(contact)
    energie = services.beat(org, "Énergie")
    away = timezone.localdate() + timedelta(days=10)
    r = client.post(
        url(token),
        {
            "beats": [energie.pk],
            "language": "en",
            "fmt": "pitch",
            "out_of_office_until": away.isoformat(),
            "lang": "en",
        },
    )
    assert r.status_code == 302
    assert r["Location"] == f"/p/{token}/?lang=en&done=saved"
    contact.refresh_from_db()
    assert list(contact.beats.all()) == [energie]
    assert contact.preferred_language == "en"
    assert contact.preferred_format == "pitch"
    assert contact.out_of_office_until == away
    changes = {c.field: c for c in FieldChange.objects.filter(contact=contact)}
    assert set(changes) == {
        "beats",
        "preferred_language",
        "preferred_format",
        "out_of_office_until",
    }
    assert {c.source_kind for c in changes.values()} == {"preferences"}
    assert "Thank you: your preferences are saved." in client.get(r["Location"]).content.decode()


@pytest.mark.django_db
def test_it_refuses_a_date_in_the_past(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    before = snapshot()
    yesterday = timezone.localdate() - timedelta(days=1)
    r = client.post(url(token), {"out_of_office_until": yesterday.isoformat(), "lang": "en"})
    assert r.status_code == 400
    assert "This date has already passed." in r.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_it_refuses_another_organisations_beat(
    client: Client, contact: Contact, other_org: Organisation
) -> None:
    theirs = services.beat(other_org, "Secret beat")
    r = client.post(url(preferences.token_for(contact)), {"beats": [theirs.pk]})
    assert r.status_code == 400
    assert not contact.beats.exists()


@pytest.mark.django_db
def test_it_needs_the_csrf_token(contact: Contact) -> None:
    strict = Client(enforce_csrf_checks=True)
    token = preferences.token_for(contact)
    before = snapshot()
    r = strict.post(url(token), {"language": "en"})
    assert r.status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_it_works_with_the_csrf_token(contact: Contact) -> None:
    strict = Client(enforce_csrf_checks=True)
    token = preferences.token_for(contact)
    strict.get(url(token))
    csrf = strict.cookies["csrftoken"].value
    r = strict.post(url(token), {"language": "en", "csrfmiddlewaretoken": csrf})
    assert r.status_code == 302
    contact.refresh_from_db()
    assert contact.preferred_language == "en"


@pytest.mark.django_db
def test_forged_and_tampered_links_find_nothing(
    client: Client, org: Organisation, other_org: Organisation, contact: Contact
) -> None:
    token = preferences.token_for(contact)
    org_id, pk, secret = token.split(".")
    other = person(org, "Paul", "Martin", emails=["paul@example.fr"])
    theirs = person(other_org, "Zoé", "Ailleurs", emails=["zoe@example.fr"])
    preferences.token_for(other)
    forged = [
        f"{org_id}.{pk}.{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}",  # one character off
        f"{org_id}.{pk}.{secret[:-1]}",  # truncated
        f"{org_id}.{pk}.",  # empty secret
        f"{org_id}.{other.pk}.{secret}",  # someone else's contact with this secret
        f"{other_org.pk}.{pk}.{secret}",  # the wrong organisation
        f"{other_org.pk}.{theirs.pk}.{secret}",
        f"{org_id}.{theirs.pk}.{secret}",
        f"x.{pk}.{secret}",
        secret,
        "nothing",
    ]
    before = snapshot()
    for bad in forged:
        for suffix in ("", "never/", "again/", "keep/", "unsubscribe/"):
            assert client.get(url(bad) + suffix).status_code in (404, 405), (bad, suffix)
            r = client.post(url(bad) + suffix, {"language": "en", "List-Unsubscribe": "One-Click"})
            assert r.status_code == 404, (bad, suffix)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_contact_without_a_token_has_no_page(client: Client, org: Organisation) -> None:
    contact = person(org)
    assert contact.preference_token == ""
    assert client.get(url(f"{org.pk}.{contact.pk}.")).status_code == 404


@pytest.mark.django_db
def test_the_token_is_stable_and_secret(contact: Contact) -> None:
    first = preferences.token_for(contact)
    assert preferences.token_for(Contact.objects.get(pk=contact.pk)) == first
    assert len(first.split(".")[2]) == 43
    assert preferences.contact_for_token(first) == contact


@pytest.mark.django_db
def test_staff_logged_in_get_no_special_power(as_alice: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    org_id, pk, _secret = token.split(".")
    assert as_alice.post(url(f"{org_id}.{pk}.guess") + "again/").status_code == 404
