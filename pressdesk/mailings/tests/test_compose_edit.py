"""The composer's edit page: saving a draft, the preview beside it, roles, states, other orgs."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import compose_data as data


def url(mailing: Mailing) -> str:
    return f"/o/{mailing.org.slug}/mailings/{mailing.pk}/edit/"


def form(**more: Any) -> dict[str, Any]:
    return {
        "release_format": "inline",
        "subject": "Nouvel objet pour {{ first_name }}",
        "body": "{{ greeting }},\n\nTexte revu.",
        "language": "fr",
        **more,
    }


def test_it_shows_the_draft_and_a_preview_for_a_chosen_contact(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    mailing = data.mailing(org, bob)
    person = data.contact(org)
    mailing.contacts.add(person)
    response = as_bob.get(url(mailing))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Notre offre pour Ouest-France" in body  # the subject as Jeanne gets it
    assert f"/preview/{person.pk}/mail.html" in body
    assert 'hx-get="/o/acme/mailings/' in body
    assert "Jeanne Dupont" in body


def test_it_saves_changes(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    person = data.contact(org)
    response = as_bob.post(url(mailing), form(addresses="jeanne@example.org", track_clicks="on"))
    assert response.status_code == 302 and response["Location"] == url(mailing)
    mailing.refresh_from_db()
    assert mailing.subject == "Nouvel objet pour {{ first_name }}"
    assert mailing.track_clicks and not mailing.track_opens
    assert list(mailing.contacts.all()) == [person]
    page = as_bob.get(url(mailing)).content.decode()
    assert "jeanne@example.org" in page  # the chosen addresses are shown back


def test_the_kind_cannot_change(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    as_bob.post(url(mailing), form(kind="release"))
    mailing.refresh_from_db()
    assert mailing.kind == "free"


def test_a_started_mailing_cannot_be_changed(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob, state=MailingState.SENDING)
    response = as_bob.post(url(mailing), form())
    assert response.status_code == 403
    mailing.refresh_from_db()
    assert mailing.subject == "Notre offre pour {{ outlet }}"


def test_merge_errors_are_shown_on_the_field(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    response = as_bob.post(url(mailing), form(body="Salut {{ user.password }}"))
    assert response.status_code == 400
    assert "user.password" in response.content.decode()


def test_roles(client: Client, org: Organisation, bob: User, vera: User, sam: User) -> None:
    mailing = data.mailing(org, bob)
    login(client, vera)
    assert client.get(url(mailing)).status_code == 403
    assert client.post(url(mailing), form()).status_code == 403
    login(client, sam)
    assert client.post(url(mailing), form()).status_code == 403
    mailing.refresh_from_db()
    assert mailing.subject == "Notre offre pour {{ outlet }}"


def test_other_organisations_mailings_are_404(
    as_charlie: Client, org: Organisation, other_org: Organisation, bob: User
) -> None:
    ours = data.mailing(org, bob)
    assert as_charlie.get(url(ours)).status_code == 404
    assert as_charlie.get(f"/o/other/mailings/{ours.pk}/edit/").status_code == 404
    assert as_charlie.post(f"/o/other/mailings/{ours.pk}/edit/", form()).status_code == 404


def test_it_rejects_other_methods(as_bob: Client, org: Organisation, bob: User) -> None:
    mailing = data.mailing(org, bob)
    assert as_bob.put(url(mailing)).status_code == 405
