"""Tracked links and the open pixel: only addresses that were in the message, first click
stamped, the contact's timeline told; a forged token redirects nowhere."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts.models.contacts import Interaction, InteractionKind
from pressdesk.mailings import signing, tracking
from pressdesk.mailings.compose import Composer
from pressdesk.mailings.models import MailEvent, Recipient
from pressdesk.mailings.models.events import EventKind
from pressdesk.mailings.tests import compose_data as data


@pytest.fixture
def row(org: Organisation) -> Recipient:
    mailing = data.mailing(org, track_clicks=True, track_opens=True)
    return data.recipient(mailing, data.contact(org))


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_it_redirects_a_tracked_link_and_records_the_click(client: Client, row: Recipient) -> None:
    html = Composer(row.mailing).render(row).data.decode()
    url = tracking.click_url(row.pk, "https://example.org/offre")
    assert url in html.replace("=\r\n", "")  # quoted-printable soft breaks aside
    response = client.get(path_of(url))
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/offre"
    row.refresh_from_db()
    first = row.clicked_at
    assert first is not None
    assert MailEvent.objects.for_org(row.org).get().kind == EventKind.CLICK
    timeline = Interaction.objects.filter(contact=row.contact)
    assert timeline.get().kind == InteractionKind.CLICK
    client.get(path_of(url))
    row.refresh_from_db()
    assert row.clicked_at == first  # the first click stays
    assert timeline.count() == 1 and MailEvent.objects.for_org(row.org).count() == 2


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "javascript:alert(1)", "//evil.example/"]
)
def test_it_refuses_a_target_that_was_not_signed(
    client: Client, row: Recipient, target: str
) -> None:
    good = tracking.click_url(row.pk, "https://example.org/offre")
    token = good.rstrip("/").rsplit("/", 1)[1]
    _payload, signature = token.rsplit(".", 1)
    forged = base64.urlsafe_b64encode(target.encode()).rstrip(b"=").decode()
    response = client.get(f"/m/c/{row.pk}~{forged}.{signature}/")
    assert response.status_code == 200 and "Location" not in response
    assert b"evil" not in response.content
    assert not MailEvent.objects.for_org(row.org).exists()


def test_even_a_signed_non_web_target_is_refused(client: Client, row: Recipient) -> None:
    encoded = base64.urlsafe_b64encode(b"javascript:alert(1)").rstrip(b"=").decode()
    token = signing.sign(tracking.CLICK, f"{row.pk}~{encoded}")
    response = client.get(f"/m/c/{token}/")
    assert "Location" not in response


def test_a_click_token_is_no_open_or_unsubscribe_token(client: Client, row: Recipient) -> None:
    token = signing.sign(tracking.OPEN, str(row.pk))
    assert client.get(f"/m/c/{token}/").status_code == 200
    client.post(f"/m/u/{token}/", {"List-Unsubscribe": "One-Click"})
    row.refresh_from_db()
    assert row.unsubscribed_at is None and row.clicked_at is None


def test_the_pixel_records_the_first_open_only_when_asked(client: Client, row: Recipient) -> None:
    html = Composer(row.mailing).render(row).data.decode().replace("=\r\n", "")
    assert "/m/o/" in html
    token = signing.sign(tracking.OPEN, str(row.pk))
    response = client.get(f"/m/o/{token}.gif")
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    client.get(f"/m/o/{token}.gif")
    row.refresh_from_db()
    assert row.opened_at is not None
    assert MailEvent.objects.for_org(row.org).filter(kind=EventKind.OPEN).count() == 1
    # An open is no sign of an active contact: nothing on the timeline.
    assert not Interaction.objects.filter(contact=row.contact).exists()


def test_a_forged_pixel_is_still_an_image_and_records_nothing(
    client: Client, row: Recipient
) -> None:
    response = client.get(f"/m/o/{row.pk}.AAAAAAAAAAAAAAAAAAAAAA.gif")
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert not MailEvent.objects.for_org(row.org).exists()


def test_tracking_urls_reject_post(client: Client, row: Recipient) -> None:
    url = tracking.click_url(row.pk, "https://example.org/offre")
    assert client.post(path_of(url)).status_code == 405
