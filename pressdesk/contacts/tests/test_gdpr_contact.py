from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.accounts.roles import PERMISSIONS
from pressdesk.contacts import services
from pressdesk.contacts.tests.gdpr_support import EMAIL, person


def url(org: Organisation, pk: int) -> str:
    return f"/o/{org.slug}/contacts/gdpr/contact/{pk}/"


@pytest.mark.django_db
def test_it_shows_provenance_status_and_actions(as_bob: Client, org: Organisation) -> None:
    contact = person(
        org,
        emails=[EMAIL, "marie@perso.example.net"],
        source_kind="import",
        source_label="cision-2026.csv",
    )
    services.opt_out(org, EMAIL, "objection")
    r = as_bob.get(url(org, contact.pk))
    assert r.status_code == 200
    body = r.content.decode()
    for text in (
        "Legitimate interest",
        "Imported file",
        "cision-2026.csv",
        "not sent",
        "Opted out: Objection",
        "May be mailed",
        "Send the information notice",
        "Download (JSON)",
        "Erase this person",
    ):
        assert text in body, text


@pytest.mark.django_db
def test_it_shows_a_director_the_same_actions(as_alice: Client, org: Organisation) -> None:
    contact = person(org)
    body = as_alice.get(url(org, contact.pk)).content.decode()
    assert "Erase this person" in body


@pytest.mark.django_db
def test_the_panel_include_renders(org: Organisation) -> None:
    contact = person(org, source_kind="import")
    html = render_to_string(
        "contacts/gdpr_panel.html",
        {"contact": contact, "org": org, "perms": PERMISSIONS["press_officer"]},
    )
    assert "The information notice has not been sent." in html
    assert f"/o/acme/contacts/gdpr/contact/{contact.pk}/" in html


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_charlie.get(url(org, contact.pk)).status_code == 404


@pytest.mark.django_db
def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_vera.get(url(org, contact.pk)).status_code == 403


@pytest.mark.django_db
def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    contact = person(org)
    assert as_bob.post(url(org, contact.pk)).status_code == 405
