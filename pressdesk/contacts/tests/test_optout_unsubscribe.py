"""RFC 8058 one-click unsubscribe: a POST with no cookie, login or CSRF token works."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import preferences, services
from pressdesk.contacts.models import Contact, OptOut
from pressdesk.contacts.tests.gdpr_support import EMAIL, person

ONE_CLICK = "List-Unsubscribe=One-Click"
FORM = "application/x-www-form-urlencoded"


def url(token: str) -> str:
    return f"/p/{token}/unsubscribe/"


@pytest.fixture
def contact(org: Organisation) -> Contact:
    return person(org, emails=[EMAIL, "marie@perso.example.net"])


@pytest.mark.django_db
def test_one_click_works_without_cookie_or_csrf(org: Organisation, contact: Contact) -> None:
    mail_client = Client(enforce_csrf_checks=True)
    r = mail_client.post(url(preferences.token_for(contact)), ONE_CLICK, content_type=FORM)
    assert r.status_code == 200
    assert mail_client.cookies == {} or "sessionid" not in mail_client.cookies
    assert services.is_opted_out(org, EMAIL)
    assert services.is_opted_out(org, "marie@perso.example.net")
    assert {e.reason for e in OptOut.objects.all()} == {"unsubscribe"}
    assert AuditEntry.objects.get(action="optout.add_by_person").data["reason"] == "unsubscribe"
    assert "You are unsubscribed" in r.content.decode() or "désinscrit" in r.content.decode()


@pytest.mark.django_db
def test_a_get_shows_a_button_and_changes_nothing(client: Client, contact: Contact) -> None:
    r = client.get(url(preferences.token_for(contact)) + "?lang=en")
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="List-Unsubscribe" value="One-Click"' in body
    assert "<button" in body
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_the_confirm_button_works(contact: Contact) -> None:
    browser = Client(enforce_csrf_checks=True)
    token = preferences.token_for(contact)
    browser.get(url(token))
    r = browser.post(url(token), {"List-Unsubscribe": "One-Click", "lang": "en"})
    assert r.status_code == 200
    assert OptOut.objects.count() == 2


@pytest.mark.django_db
def test_it_wants_the_one_click_body(client: Client, contact: Contact) -> None:
    r = client.post(url(preferences.token_for(contact)), "", content_type=FORM)
    assert r.status_code == 400
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_a_mail_client_retrying_records_it_once(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    for _ in range(3):
        assert client.post(url(token), ONE_CLICK, content_type=FORM).status_code == 200
    assert AuditEntry.objects.filter(action="optout.add_by_person").count() == 1


@pytest.mark.django_db
def test_a_forged_link_unsubscribes_no_one(client: Client, contact: Contact) -> None:
    token = preferences.token_for(contact)
    forged = token.rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    assert client.post(url(forged), ONE_CLICK, content_type=FORM).status_code == 404
    assert not OptOut.objects.exists()


@pytest.mark.django_db
def test_it_rejects_other_methods(client: Client, contact: Contact) -> None:
    assert client.put(url(preferences.token_for(contact))).status_code == 405


@pytest.mark.django_db
def test_the_header_address_is_absolute(contact: Contact) -> None:
    address = preferences.unsubscribe_url(contact)
    assert address.startswith("http://127.0.0.1:8000/p/")
    assert address.endswith("/unsubscribe/")
