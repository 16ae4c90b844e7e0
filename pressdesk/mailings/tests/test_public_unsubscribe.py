"""The unsubscribe link: GET confirms and changes nothing; POST (button or RFC 8058 one-click,
with no cookie and no CSRF token) unsubscribes; forged tokens do nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import services
from pressdesk.contacts.models import OptOut
from pressdesk.mailings import unsubscribe
from pressdesk.mailings.models import MailEvent, Recipient
from pressdesk.mailings.models.events import EventKind
from pressdesk.mailings.tests import compose_data as data


@pytest.fixture
def row(org: Organisation) -> Recipient:
    mailing = data.mailing(org)
    person = data.contact(org)
    person.emails.create(org=org, email="jeanne.perso@example.net")
    return data.recipient(mailing, person)


def url(row: Recipient) -> str:
    return f"/m/u/{unsubscribe.token_for(row.mailing_id, row.pk)}/"


def is_out(org: Organisation, address: str) -> bool:
    return services.is_opted_out(org, address)


def test_it_shows_a_confirmation_and_changes_nothing_on_get(client: Client, row: Recipient) -> None:
    response = client.get(url(row))
    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Content-Language"] == "fr"  # the mailing's language
    assert not OptOut.objects.for_org(row.org).exists()
    row.refresh_from_db()
    assert row.unsubscribed_at is None
    assert not MailEvent.objects.for_org(row.org).exists()


def test_it_speaks_english_for_an_english_mailing(client: Client, org: Organisation) -> None:
    mailing = data.mailing(org, language="en")
    row = data.recipient(mailing, data.contact(org))
    response = client.get(url(row))
    assert response["Content-Language"] == "en"
    assert b"Unsubscribe" in response.content


def test_it_unsubscribes_on_the_button_without_a_csrf_token(row: Recipient) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(row), {"lang": "fr"})
    assert response.status_code == 200
    assert (
        "Vous êtes désinscrit".encode() in response.content or b"unsubscribed" in response.content
    )
    org = row.org
    assert is_out(org, "jeanne@example.org") and is_out(org, "jeanne.perso@example.net")
    assert OptOut.objects.for_org(org).filter(reason="unsubscribe").count() == 2
    row.refresh_from_db()
    assert row.unsubscribed_at is not None
    event = MailEvent.objects.for_org(org).get()
    assert event.kind == EventKind.UNSUBSCRIBE and event.recipient_id == row.pk
    assert AuditEntry.objects.filter(org=org, action="mailing.unsubscribe").count() == 1
    # The contacts' own service recorded it on the person's history.
    assert row.contact is not None
    assert row.contact.changes.filter(field="opt_out").exists()


def test_it_accepts_the_rfc8058_one_click_post_with_no_cookie(row: Recipient) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(row),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies.get("csrftoken")
    assert is_out(row.org, "jeanne@example.org")
    assert MailEvent.objects.for_org(row.org).get().summary == "one-click"


def test_a_second_post_changes_nothing_more(row: Recipient) -> None:
    client = Client(enforce_csrf_checks=True)
    client.post(url(row), {"List-Unsubscribe": "One-Click"})
    first = Recipient.objects.for_org(row.org).get(pk=row.pk).unsubscribed_at
    response = client.post(url(row), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Recipient.objects.for_org(row.org).get(pk=row.pk).unsubscribed_at == first
    assert MailEvent.objects.for_org(row.org).count() == 1
    assert AuditEntry.objects.filter(action="mailing.unsubscribe").count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.replace("-", "-9", 1),  # another row, same signature
        lambda t: "1-1." + "A" * 22,
        lambda t: "preview",
        lambda t: "nonsense",
        lambda t: "%00%0d%0a",
    ],
)
def test_a_tampered_token_does_nothing(client: Client, row: Recipient, mangle: object) -> None:
    token = unsubscribe.token_for(row.mailing_id, row.pk)
    bad = mangle(token)  # type: ignore[operator]
    for method in (client.get, client.post):
        response = method(f"/m/u/{bad}/", {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert b"Jeanne" not in response.content and b"Acme" not in response.content
    assert not OptOut.objects.for_org(row.org).exists()
    assert not MailEvent.objects.for_org(row.org).exists()


def test_a_token_for_a_deleted_row_does_nothing(client: Client, row: Recipient) -> None:
    token = unsubscribe.token_for(row.mailing_id, row.pk)
    org = row.org
    row.mailing.delete()
    response = client.post(f"/m/u/{token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not OptOut.objects.for_org(org).exists()


def test_it_rejects_other_methods(client: Client, row: Recipient) -> None:
    assert client.put(url(row)).status_code == 405
    assert client.delete(url(row)).status_code == 405


def test_the_mailto_fallback_applies_the_token_of_the_subject(row: Recipient) -> None:
    token = unsubscribe.token_for(row.mailing_id, row.pk)
    assert unsubscribe.apply_from_subject(f"Re: unsubscribe-{token}") is True
    assert is_out(row.org, "jeanne@example.org")
    assert unsubscribe.apply_from_subject("unsubscribe-1-1.forgedforgedforgedforge") is False


def test_the_link_in_a_real_message_works(client: Client, row: Recipient) -> None:
    from pressdesk.mailings.compose import Composer

    rendered = Composer(row.mailing).render(row).data.decode()
    token = unsubscribe.token_for(row.mailing_id, row.pk)
    assert f"/m/u/{token}/" in rendered
    Client(enforce_csrf_checks=True).post(f"/m/u/{token}/", {"List-Unsubscribe": "One-Click"})
    assert is_out(row.org, "jeanne@example.org")
