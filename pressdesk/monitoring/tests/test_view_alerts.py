"""The alert settings page: each member's own alerts."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import AlertRule

URL = "/o/acme/monitoring/alerts/"


def test_it_saves_an_alert_for_the_member(as_vera: Client, vera: User, org: Organisation) -> None:
    query = watch.save(org, "Acme", "acme")
    r = as_vera.post(URL, {"query": query.pk, "instant": "on", "digest_time": "09:30"})
    assert r.status_code == 302
    rule = AlertRule.objects.for_org(org).get()
    assert (rule.user, rule.query, rule.instant, rule.digest) == (vera, query, True, False)
    assert "Acme" in as_vera.get(URL).content.decode()


def test_it_shows_only_ones_own_alerts(
    as_vera: Client, bob: User, vera: User, org: Organisation
) -> None:
    AlertRule.objects.for_org(org).create(user=bob)
    assert list(as_vera.get(URL).context["rules"]) == []


def test_it_removes_only_ones_own_alert(as_vera: Client, bob: User, org: Organisation) -> None:
    rule = AlertRule.objects.for_org(org).create(user=bob)
    assert as_vera.post(f"{URL}{rule.pk}/delete/").status_code == 404
    assert AlertRule.objects.for_org(org).exists()


def test_it_checks_the_organisation(as_charlie: Client, bob: User, org: Organisation) -> None:
    rule = AlertRule.objects.for_org(org).create(user=bob)
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.post(f"{URL}{rule.pk}/delete/").status_code == 404
