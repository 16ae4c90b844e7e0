from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from pressdesk import scheduler
from pressdesk.accounts.models import Organisation
from pressdesk.contacts import retention, services
from pressdesk.contacts.models import Contact, Interaction
from pressdesk.contacts.tests.gdpr_support import person

YEAR = timedelta(days=365)


def ago(delta: timedelta) -> datetime:
    return timezone.now() - delta


def flagged(org: Organisation) -> list[str]:
    return sorted(c.last_name for c in retention.flagged(org))


@pytest.mark.django_db
def test_it_flags_three_years_without_active_contact(org: Organisation) -> None:
    person(org, "A", "Never", emails=["a@example.fr"], created=ago(4 * YEAR))
    person(org, "B", "Recent", emails=["b@example.fr"], created=ago(2 * YEAR))
    person(
        org,
        "C",
        "Lapsed",
        emails=["c@example.fr"],
        created=ago(6 * YEAR),
        last_active_at=ago(3 * YEAR + timedelta(days=2)),
    )
    person(
        org,
        "D",
        "Active",
        emails=["d@example.fr"],
        created=ago(6 * YEAR),
        last_active_at=ago(3 * YEAR - timedelta(days=2)),
    )
    assert retention.flag_stale(org) == 2
    assert flagged(org) == ["Lapsed", "Never"]
    # A second run flags nobody new and keeps the first date.
    first = Contact.objects.get(last_name="Never").retention_flagged_at
    assert retention.flag_stale(org) == 0
    assert Contact.objects.get(last_name="Never").retention_flagged_at == first


@pytest.mark.django_db
def test_opening_an_email_does_not_count(org: Organisation) -> None:
    contact = person(org, created=ago(4 * YEAR))
    services.add_interaction(
        contact, "email_open", "Opened the release", when=ago(timedelta(days=3))
    )
    services.add_interaction(contact, "email_sent", "Release", when=ago(timedelta(days=4)))
    services.add_interaction(contact, "notice", when=ago(timedelta(days=5)))
    assert retention.flag_stale(org) == 1
    assert flagged(org) == ["Dupont"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["email_reply", "click", "call", "meeting", "rsvp"])
def test_an_active_interaction_counts(org: Organisation, kind: str) -> None:
    contact = person(org, created=ago(4 * YEAR))
    services.add_interaction(contact, kind, when=ago(YEAR))
    assert retention.flag_stale(org) == 0


@pytest.mark.django_db
def test_an_active_row_counts_even_without_last_active_at(org: Organisation) -> None:
    contact = person(org, created=ago(4 * YEAR))
    # Written directly (say, by an import of a timeline): last_active_at was not kept up to date.
    Interaction.objects.create(contact=contact, kind="call", occurred_at=ago(YEAR))
    assert retention.flag_stale(org) == 0


@pytest.mark.django_db
def test_it_unflags_who_became_active_again(org: Organisation) -> None:
    contact = person(org, created=ago(4 * YEAR))
    retention.flag_stale(org)
    Interaction.objects.create(contact=contact, kind="rsvp", occurred_at=ago(timedelta(days=1)))
    retention.flag_stale(org)
    assert flagged(org) == []


@pytest.mark.django_db
def test_it_keeps_to_one_organisation(org: Organisation, other_org: Organisation) -> None:
    person(org, created=ago(4 * YEAR))
    person(other_org, "Other", "Person", created=ago(4 * YEAR))
    assert retention.flag_stale(org) == 1
    assert flagged(other_org) == []
    assert retention.flag_everywhere() == 1
    assert flagged(other_org) == ["Person"]


def test_three_years_before_29_february() -> None:
    leap = datetime(2028, 2, 29, 12, tzinfo=UTC)
    assert retention.cutoff(leap) == datetime(2025, 2, 28, 12, tzinfo=UTC)


def test_it_runs_daily_in_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "JOBS", {})
    retention.register_schedule()
    job = scheduler.JOBS["contacts.retention_flag_stale"]
    assert job.every_seconds == 24 * 3600
    assert job.func is retention.flag_everywhere
