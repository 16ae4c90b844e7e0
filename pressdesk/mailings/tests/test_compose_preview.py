"""The preview fragment (htmx) and the previewed HTML page: per recipient, read access, scoped."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.tests import compose_data as data


def url(mailing: Mailing, contact_id: int | None = None) -> str:
    base = f"/o/{mailing.org.slug}/mailings/{mailing.pk}/preview/"
    return base if contact_id is None else f"{base}?contact={contact_id}"


def test_it_previews_for_the_chosen_contact(as_vera: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    jeanne = data.contact(org)
    paul = data.contact(org, "Paul", "Martin", "paul@example.org", outlet="Le Monde")
    mailing.contacts.add(jeanne, paul)
    response = as_vera.get(url(mailing, paul.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Notre offre pour Le Monde" in body and "Paul Martin" in body
    assert "<html" not in body  # a fragment
    assert "/m/u/preview/" in body  # the links of a preview do nothing


def test_the_html_is_served_framed_by_us_only(
    as_vera: Client, org: Organisation, bob: User
) -> None:
    mailing = data.mailing(org, bob)
    jeanne = data.contact(org)
    response = as_vera.get(f"/o/acme/mailings/{mailing.pk}/preview/{jeanne.pk}/mail.html")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "script-src" not in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"Jeanne Dupont" in response.content


def test_a_broken_message_shows_its_error(as_vera: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob, body="{{ nope }}")
    jeanne = data.contact(org)
    mailing.contacts.add(jeanne)
    response = as_vera.get(url(mailing, jeanne.pk))
    assert response.status_code == 200 and "nope" in response.content.decode()


def test_no_recipient_yet(as_vera: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    response = as_vera.get(url(mailing))
    assert response.status_code == 200 and b"iframe" not in response.content


def test_other_organisations_ids_are_404(
    as_charlie: Client, org: Organisation, other_org: Organisation, bob: User, charlie: User
) -> None:
    ours = data.mailing(org, bob)
    jeanne = data.contact(org)
    theirs = data.mailing(other_org, charlie)
    assert as_charlie.get(url(ours)).status_code == 404
    assert as_charlie.get(f"/o/other/mailings/{ours.pk}/preview/").status_code == 404
    # Their own mailing, our contact: still nothing of ours.
    assert (
        as_charlie.get(f"/o/other/mailings/{theirs.pk}/preview/?contact={jeanne.pk}").status_code
        == 404
    )
    assert (
        as_charlie.get(f"/o/other/mailings/{theirs.pk}/preview/{jeanne.pk}/mail.html").status_code
        == 404
    )


def test_it_rejects_post(as_vera: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    assert as_vera.post(url(mailing)).status_code == 405
