"""The newsroom's settings page, its subscribers list and their audited export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.conftest import login
from pressdesk.contacts import editing
from pressdesk.releases.models import Newsroom, Subscriber
from pressdesk.releases.tests.newsroom_data import PNG

pytestmark = pytest.mark.django_db
URL = "/o/acme/releases/newsroom/"


def test_it_saves_the_theme_logo_and_press_contacts(as_alice: Client, org: Organisation) -> None:
    editing.save_contact(
        org, None, {"last_name": "Porte-parole", "emails": ["pp@acme.fr"]}, by=None
    )
    response = as_alice.post(
        URL,
        {
            "enabled": "on",
            "title": "Salle de presse Acme",
            "tagline": "L’énergie qui avance",
            "primary_colour": "#003366",
            "accent_colour": "#FFCC00",
            "contact_addresses": "pp@acme.fr",
            "logo_file": SimpleUploadedFile("logo.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    newsroom = Newsroom.objects.for_org(org).get()
    assert newsroom.accent_colour == "#ffcc00" and newsroom.logo is not None
    assert [c.last_name for c in newsroom.press_contacts.all()] == ["Porte-parole"]
    assert AuditEntry.objects.filter(org=org, action="newsroom.settings_change").exists()
    client = Client()
    theme = client.get("/newsroom/acme/theme.css").content.decode()
    assert "--nr-primary:#003366" in theme and "--nr-on-primary:#ffffff" in theme
    home = client.get("/newsroom/acme/").content.decode()
    assert f"/newsroom/acme/files/{newsroom.logo.pk}/logo.png" in home
    assert client.get(f"/newsroom/acme/files/{newsroom.logo.pk}/logo.png").status_code == 200
    contacts = client.get("/newsroom/acme/contacts/").content.decode()
    assert "pp@acme.fr" in contacts


def test_it_refuses_bad_colours_and_unknown_contacts(as_alice: Client, org: Organisation) -> None:
    response = as_alice.post(
        URL,
        {
            "primary_colour": "red;}body{x",
            "accent_colour": "#000000",
            "contact_addresses": "x@y.fr",
        },
    )
    assert response.status_code == 400
    assert not Newsroom.objects.for_org(org).exists()


def test_it_turns_the_newsroom_off(as_alice: Client, org: Organisation) -> None:
    as_alice.post(URL, {"primary_colour": "#000000", "accent_colour": "#ffffff"})
    assert Client().get("/newsroom/acme/").status_code == 404


def test_a_viewer_reads_but_cannot_change(client: Client, vera: User, org: Organisation) -> None:
    login(client, vera)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"primary_colour": "#000000"}).status_code == 403


def test_an_outsider_gets_404(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_refuses_delete(as_alice: Client) -> None:
    assert as_alice.delete(URL).status_code == 405


def test_it_lists_and_exports_subscribers_with_an_audit_entry(
    as_alice: Client, org: Organisation
) -> None:
    from django.utils import timezone

    Subscriber.objects.for_org(org).create(email="=cmd@example.org", confirmed_at=timezone.now())
    page = as_alice.get("/o/acme/releases/newsroom/subscribers/")
    assert page.status_code == 200 and "=cmd@example.org" in page.content.decode()
    export = as_alice.post("/o/acme/releases/newsroom/subscribers/export/")
    assert export.status_code == 200
    assert "'=cmd@example.org" in export.content.decode()
    assert AuditEntry.objects.filter(org=org, action="newsroom.subscribers_export").exists()


def test_a_viewer_cannot_export_subscribers(client: Client, vera: User, org: Organisation) -> None:
    login(client, vera)
    assert client.post("/o/acme/releases/newsroom/subscribers/export/").status_code == 403
    assert client.get("/o/acme/releases/newsroom/subscribers/export/").status_code == 405
