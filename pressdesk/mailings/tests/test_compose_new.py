"""The composer's "new mailing" page: roles, kinds, merge-field errors, audience, 405."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.contacts.models import ContactList
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.tests import compose_data as data
from pressdesk.releases.models import Release
from pressdesk.releases.tests import sample

URL = "/o/acme/mailings/new/"


def free(**more: Any) -> dict[str, Any]:
    return {
        "kind": "free",
        "release_format": "inline",
        "subject": "Invitation pour {{ outlet }}",
        "body": "{{ greeting }},\n\nVenez nous voir.",
        "language": "fr",
        **more,
    }


@pytest.fixture
def approved(org: Organisation, bob: User, alice: User) -> Release:
    return sample.approved(org, bob, alice)


def test_it_shows_the_form_with_the_merge_fields(as_bob: Client, approved: Release) -> None:
    response = as_bob.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "{{ first_name }}" in body and "{{ greeting }}" in body
    assert approved.title in body
    assert 'name="track_clicks"' in body and 'name="track_clicks" checked' not in body


def test_it_creates_a_free_text_mailing(as_bob: Client, org: Organisation) -> None:
    person = data.contact(org)
    energy = ContactList.objects.for_org(org).create(org=org, name="Énergie")
    response = as_bob.post(
        URL,
        free(
            lists=[energy.pk],
            addresses="JEANNE@example.org\n",
            intro_lines="jeanne@example.org: Suite à notre échange",
        ),
    )
    assert response.status_code == 302
    mailing = Mailing.objects.for_org(org).get()
    assert response["Location"] == f"/o/acme/mailings/{mailing.pk}/edit/"
    assert mailing.kind == "free" and mailing.subject == "Invitation pour {{ outlet }}"
    assert list(mailing.lists.all()) == [energy]
    assert list(mailing.contacts.all()) == [person]
    assert mailing.intros == {str(person.pk): "Suite à notre échange"}
    assert not mailing.track_clicks and not mailing.track_opens
    assert mailing.created_by is not None and mailing.created_by.email == "bob@example.org"


def test_it_creates_a_release_mailing(as_bob: Client, org: Organisation, approved: Release) -> None:
    response = as_bob.post(
        URL, {"kind": "release", "release": approved.pk, "release_format": "link", "language": "fr"}
    )
    assert response.status_code == 302
    mailing = Mailing.objects.for_org(org).get()
    assert mailing.release_id == approved.pk and mailing.release_format == "link"
    assert mailing.subject == approved.title  # the release's title when no subject is given


def test_it_offers_only_approved_releases(as_bob: Client, org: Organisation, bob: User) -> None:
    draft = sample.release(org, bob, title="Brouillon secret")
    response = as_bob.post(URL, {"kind": "release", "release": draft.pk, "language": "fr"})
    assert response.status_code == 400
    assert not Mailing.objects.for_org(org).exists()
    assert "Brouillon secret" not in as_bob.get(URL).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("body", "Bonjour {{ settings.SECRET_KEY }}", "settings.SECRET_KEY"),
        ("subject", "Pour {{ prenom }}", "prenom"),
    ],
)
def test_it_names_an_unknown_merge_field_and_where(
    as_bob: Client, org: Organisation, field: str, value: str, shown: str
) -> None:
    response = as_bob.post(URL, free(**{field: value}))
    assert response.status_code == 400
    assert shown in response.content.decode() and "1" in response.content.decode()
    assert not Mailing.objects.for_org(org).exists()


def test_it_refuses_a_line_break_in_the_subject(as_bob: Client, org: Organisation) -> None:
    response = as_bob.post(URL, free(subject="Offre\r\nBcc: victim@example.org"))
    assert response.status_code == 400
    assert not Mailing.objects.for_org(org).exists()


def test_it_says_which_addresses_are_unknown(as_bob: Client, org: Organisation) -> None:
    response = as_bob.post(URL, free(addresses="personne@example.org"))
    assert response.status_code == 400
    assert "personne@example.org" in response.content.decode()


def test_a_pitch_needs_the_send_permission(client: Client, sam: User, org: Organisation) -> None:
    login(client, sam)
    assert client.post(URL, free(kind="pitch")).status_code == 403
    assert not Mailing.objects.for_org(org).exists()


def test_viewers_and_spokespeople_cannot_compose(
    client: Client, vera: User, sam: User, approved: Release
) -> None:
    for user in (vera, sam):
        login(client, user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"kind": "release", "release": approved.pk}).status_code == 403


def test_outsiders_get_404_and_cannot_use_our_ids(
    as_charlie: Client, org: Organisation, approved: Release
) -> None:
    assert as_charlie.get(URL).status_code == 404
    response = as_charlie.post(
        "/o/other/mailings/new/", {"kind": "release", "release": approved.pk, "language": "fr"}
    )
    assert response.status_code == 400  # not one of their releases
    energy = ContactList.objects.for_org(org).create(org=org, name="Énergie")
    response = as_charlie.post("/o/other/mailings/new/", free(lists=[energy.pk]))
    assert response.status_code == 400
    assert not Mailing.objects.exists()


def test_anonymous_is_sent_to_login(client: Client, org: Organisation) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_rejects_other_methods(as_bob: Client) -> None:
    assert as_bob.put(URL).status_code == 405
    assert as_bob.delete(URL).status_code == 405
