from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.mailings.models import Mailing
from pressdesk.mailings.tests import pages_sample
from pressdesk.mailings.views import results


def url(mailing: Mailing) -> str:
    return f"/o/acme/mailings/{mailing.pk}/results/"


def names(page: str) -> list[str]:
    return [part.split("</a>")[0].rsplit(">", 1)[-1] for part in page.split('<th scope="row">')[1:]]


def test_it_lists_everyone_by_name_with_their_result(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    page = as_bob.get(url(mailing)).content.decode()
    assert len(names(page)) == 8
    assert "Delivered to the mail server" in page
    assert "550 5.1.1 Utilisateur inconnu" in page
    assert "Unknown: the worker stopped" in page
    # Names, never ids: every row is headed by a person's name.
    assert all(not name.isdigit() for name in names(page))


def test_each_filter_shows_its_rows(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    expected = {
        "delivered": {"Anne Livrée", "Denis Répond", "Émile Clic", "Fanny Partie"},
        "bounced_hard": {"Bruno Dur"},
        "bounced_soft": {"Chloé Pleine"},
        "replied": {"Denis Répond"},
        "clicked": {"Émile Clic"},
        "unsubscribed": {"Fanny Partie"},
        "failed": {"Gaston Refusé"},
        "unknown": {"Hélène Inconnue"},
        "excluded": {"Irène Sansmail"},
    }
    for show, people in expected.items():
        page = as_bob.get(url(mailing), {"show": show}).content.decode()
        assert set(names(page)) == people, show
    hard = as_bob.get(url(mailing), {"show": "bounced_hard"}).content.decode()
    assert "550 5.1.1 Utilisateur inconnu" in hard
    excluded = as_bob.get(url(mailing), {"show": "excluded"}).content.decode()
    assert "No email address" in excluded


def test_it_shows_the_counts_of_each_filter(as_bob: Client, org: Organisation) -> None:
    mailing = pages_sample.sent(org)
    page = as_bob.get(url(mailing)).content.decode()
    assert 'href="?show=bounced_hard"' in page
    assert 'href="?show=excluded"' in page
    # Filters with nobody are not offered.
    assert 'href="?show=cancelled"' not in page


def test_it_paginates(as_bob: Client, org: Organisation, monkeypatch: object) -> None:
    mailing = pages_sample.sent(org)
    monkeypatch.setattr(results, "PER_PAGE", 3)  # type: ignore[attr-defined]
    first = as_bob.get(url(mailing)).content.decode()
    assert len(names(first)) == 3 and "Page 1 of 3" in first
    last = as_bob.get(url(mailing), {"page": 3}).content.decode()
    assert len(names(last)) == 2


def test_it_offers_the_decision_on_unknown_rows_only_to_those_who_may_send(
    as_bob: Client, org: Organisation, sam: User
) -> None:
    mailing = pages_sample.sent(org)
    assert "Count as sent" in as_bob.get(url(mailing), {"show": "unknown"}).content.decode()
    as_sam = login(Client(), sam)
    assert "Count as sent" not in as_sam.get(url(mailing), {"show": "unknown"}).content.decode()


def test_it_is_404_for_another_organisations_mailing(
    as_bob: Client, other_org: Organisation
) -> None:
    assert as_bob.get(url(pages_sample.sent(other_org))).status_code == 404


def test_it_is_404_for_an_outsider(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(url(pages_sample.sent(org))).status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation) -> None:
    assert as_bob.post(url(pages_sample.sent(org))).status_code == 405
