"""Monitoring settings: the licence (what is stored of each article) and the languages watched."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.monitoring.models import Licence, MonitoringSettings
from pressdesk.monitoring.tests.support import article

URL = "/o/acme/monitoring/settings/"
BODY = "<p>" + "Acme opened a plant in Lyon and hired two hundred people there. " * 20 + "</p>"


def _licensed(org: Organisation) -> None:
    MonitoringSettings.objects.for_org(org).create(licence=Licence.CFC, licence_notice="CFC 42")


def test_it_shows_what_is_stored(as_vera: Client, org: Organisation) -> None:
    _licensed(org)
    article(org, "Acme opens a plant", BODY)
    r = as_vera.get(URL)
    page = r.content.decode()
    assert r.status_code == 200 and r.context["full_texts"] == 1
    assert "CFC 42" in page and "French, English" in page
    assert 'type="radio"' not in page  # only a director changes them


def test_it_saves_the_licence_and_languages_and_audits_it(
    as_alice: Client, org: Organisation
) -> None:
    r = as_alice.post(
        URL, {"licence": "other", "licence_notice": "Press agreement 2026", "languages": ["fr"]}
    )
    assert r.status_code == 302
    row = MonitoringSettings.objects.for_org(org).get()
    assert (row.licence, row.licence_notice, row.languages) == (
        "other",
        "Press agreement 2026",
        ["fr"],
    )
    entry = AuditEntry.objects.get(action="monitoring.settings_change")
    assert entry.data["before"]["licence"] == "link_only"
    assert entry.data["after"]["languages"] == ["fr"]
    # The pipeline keeps full texts from now on.
    assert article(org, "Acme opens a plant", BODY).full_text_kept


def test_it_erases_full_texts_when_the_licence_is_given_up(
    as_alice: Client, org: Organisation
) -> None:
    _licensed(org)
    item = article(org, "Acme opens a plant", BODY)
    assert item.full_text_kept and item.text
    as_alice.post(URL, {"licence": "link_only", "languages": ["fr", "en"]})
    item.refresh_from_db()
    assert not item.full_text_kept and item.text == ""
    assert "hired" in item.search_text  # the extract is still searchable
    assert (
        AuditEntry.objects.get(action="monitoring.settings_change").data["full_texts_erased"] == 1
    )


def test_it_asks_which_licence(as_alice: Client, org: Organisation) -> None:
    r = as_alice.post(URL, {"licence": "cfc", "licence_notice": "", "languages": ["fr"]})
    assert r.status_code == 400 and r.context["form"].errors["licence_notice"]
    r = as_alice.post(URL, {"licence": "link_only", "languages": []})
    assert r.status_code == 400 and r.context["form"].errors["languages"]
    assert not MonitoringSettings.objects.for_org(org).exists()


def test_it_lets_only_a_director_change_them(
    as_bob: Client, as_vera: Client, org: Organisation
) -> None:
    assert as_bob.post(URL, {"licence": "cfc", "licence_notice": "x"}).status_code == 403
    assert as_vera.post(URL, {"licence": "cfc", "licence_notice": "x"}).status_code == 403
    assert not MonitoringSettings.objects.for_org(org).exists()


def test_it_refuses_other_methods(as_alice: Client, org: Organisation) -> None:
    assert as_alice.put(URL).status_code == 405
    assert as_alice.delete(URL).status_code == 405


def test_it_sends_outsiders_to_login(client: Client, org: Organisation) -> None:
    assert client.get(URL).status_code == 302
    client.post(URL, {"licence": "cfc", "licence_notice": "x", "languages": ["fr"]})
    assert not MonitoringSettings.objects.for_org(org).exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    _licensed(org)
    assert as_charlie.get(URL).status_code == 404
    r = as_charlie.post(URL, {"licence": "link_only", "languages": ["fr"]})
    assert r.status_code == 404
    assert MonitoringSettings.objects.for_org(org).get().licence == Licence.CFC
