"""Alerts by mail through a real SMTP server: instant, daily digest, spike; each sent once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.monitoring import alerts, watch
from pressdesk.monitoring.models import AlertKind, AlertMail, AlertRule, Clipping
from pressdesk.monitoring.tests.support import article
from pressdesk.work.models import WorkState


def _send_all(org: Organisation) -> list[str]:
    return [alerts.send(pk) for pk in AlertMail.objects.for_org(org).values_list("pk", flat=True)]


def test_it_mails_an_instant_alert_once_in_the_members_language(
    org: Organisation, bob: User, smtp: Any
) -> None:
    bob.language = "fr"
    bob.save()
    query = watch.save(org, "CEO", '"Marie Dupont"')
    AlertRule.objects.for_org(org).create(user=bob, query=query, instant=True, digest=False)
    article(org, "Acme opens a plant", "<p>Marie Dupont opened the plant.</p>")
    mail = AlertMail.objects.for_org(org).get()
    assert mail.kind == AlertKind.INSTANT and mail.state == WorkState.PENDING
    assert _send_all(org) == [AlertMail.SENT]
    message = smtp.wait_for(1)
    assert message["To"] == bob.email and "[CEO] Acme opens a plant" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Marie Dupont" in body and "Ouvrir la boîte des retombées" in body
    # Why it matched, in the member's language too, whatever the worker's was.
    assert "trouvé dans le texte" in body
    assert alerts.send(mail.pk) == ""  # already sent: claimed by nobody, sent by nobody
    assert len(smtp.messages) == 1


def test_it_sends_no_alert_to_someone_who_left(org: Organisation, bob: User, smtp: Any) -> None:
    query = watch.save(org, "Acme", "acme")
    AlertRule.objects.for_org(org).create(user=bob, query=query, instant=True)
    bob.memberships.all().delete()
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    assert _send_all(org) == [AlertMail.SKIPPED]
    assert smtp.messages == []


def test_it_queues_the_digest_at_the_chosen_time_once_a_day(
    org: Organisation, bob: User, smtp: Any
) -> None:
    watch.save(org, "Acme", "acme")
    AlertRule.objects.for_org(org).create(user=bob, digest=True, digest_time=time(8, 0))
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    paris = ZoneInfo(org.timezone)
    today = timezone.now().astimezone(paris).date()
    before = datetime.combine(today, time(7, 55), paris)
    after = datetime.combine(today, time(8, 2), paris)
    assert alerts.queue_digests(before) == 0
    assert alerts.queue_digests(after) == 1
    assert alerts.queue_digests(after + timedelta(minutes=5)) == 0
    _send_all(org)
    assert "1 new clipping today" in smtp.wait_for(1)["Subject"]


def test_it_detects_a_spike_against_the_usual_range() -> None:
    assert alerts.is_spike(9, [1, 2, 0, 3, 1, 2, 1, 0, 2, 1, 1, 2, 3, 1])
    assert not alerts.is_spike(4, [0] * 14)  # too few to call a spike
    assert not alerts.is_spike(12, [10, 11, 9, 12, 10, 11, 13, 9, 10, 12, 11, 10, 9, 12])


def test_it_queues_a_spike_alert(org: Organisation, bob: User) -> None:
    query = watch.save(org, "Acme", "acme")
    AlertRule.objects.for_org(org).create(user=bob, query=query, spike=True, digest=False)
    for n in range(6):
        article(org, f"Acme news {n}", f"<p>Acme, story number {n}.</p>")
    assert Clipping.objects.for_org(org).count() == 6
    assert alerts.queue_spikes() == 1
    assert alerts.queue_spikes() == 0  # once a day
    assert AlertMail.objects.for_org(org).get().kind == AlertKind.SPIKE
