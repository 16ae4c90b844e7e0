from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.mailings.models.mailing import MailingState
from pressdesk.mailings.tests import pages_sample

URL = "/o/acme/mailings/"


def test_it_lists_mailings_by_name_with_counts_and_state_in_words(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    pages_sample.sent(org)
    pages_sample.draft(org, bob)
    page = as_bob.get(URL).content.decode()
    assert "Parc solaire : mise en service" in page
    assert "Visite du parc solaire" in page
    assert "mailing-state-sent" in page and ">Sent<" in page
    assert ">Draft<" in page
    # Eight recipients, seven sent (one refusal is not sent; the unknown one is not counted sent).
    assert '<td data-label="Recipients">8</td>' in page
    assert '<td data-label="Replies">1</td>' in page


def test_it_filters_by_state(as_bob: Client, org: Organisation, bob: User) -> None:
    pages_sample.sent(org)
    pages_sample.draft(org, bob)
    page = as_bob.get(URL, {"state": MailingState.DRAFT}).content.decode()
    assert "Visite du parc solaire" in page
    assert "Parc solaire : mise en service" not in page
    # An unknown state shows everything rather than nothing.
    assert "Parc solaire" in as_bob.get(URL, {"state": "bogus"}).content.decode()


def test_it_says_what_mailings_are_for_when_there_is_none(as_bob: Client) -> None:
    page = as_bob.get(URL).content.decode()
    assert "each addressed by name" in page


def test_it_lets_a_viewer_read(as_vera: Client, org: Organisation) -> None:
    pages_sample.sent(org)
    assert as_vera.get(URL).status_code == 200


def test_it_hides_other_organisations_mailings(as_bob: Client, other_org: Organisation) -> None:
    pages_sample.sent(other_org, subject="Secret de l'autre")
    assert "Secret de l" not in as_bob.get(URL).content.decode()


def test_it_is_404_for_an_outsider(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_post(as_bob: Client) -> None:
    assert as_bob.post(URL).status_code == 405


def test_it_sends_anonymous_people_to_login(client: Client, org: Organisation) -> None:
    assert client.get(URL).status_code == 302
