"""Releases' card on the organisation's dashboard (/o/<org>/): what awaits my review, the
embargoes scheduled, what was published last; and the editor's link to the preview links."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.releases import approval, dashboard
from pressdesk.releases.models import ReviewStep
from pressdesk.releases.tests import sample
from pressdesk.releases.tests.newsroom_data import release as public_release

URL = "/o/acme/"


def _card(html: str) -> str:
    start = html.index('id="glance-releases"')
    return html[start : html.index("</section>", start)]


def test_it_works(as_alice: Client, alice: User, bob: User, org: Organisation) -> None:
    waiting = sample.release(org, bob, title="Le bilan annuel")
    approval.submit(waiting, member=sample.member(org, bob))
    sample.scheduled(org, bob, alice, timezone.now() + timedelta(days=2))
    public_release(org, "Acme ouvre une école", slug="ecole")
    r = as_alice.get(URL)
    assert r.status_code == 200
    card = _card(r.content.decode())
    assert "Le bilan annuel" in card and f"/o/acme/releases/{waiting.pk}/review/" in card
    assert "Journée portes ouvertes à la centrale" in card  # the scheduled one
    assert "Acme ouvre une école" in card


def test_it_shows_each_member_only_the_steps_they_may_sign(
    client: Client, alice: User, bob: User, org: Organisation
) -> None:
    ReviewStep.objects.for_org(org).create(position=0, label="Service presse", reviewer=bob)
    ReviewStep.objects.for_org(org).create(position=1, label="Direction")
    waiting = sample.release(org, bob, title="Le bilan annuel")
    approval.submit(waiting, member=sample.member(org, bob))
    assert [r.pk for r in dashboard.awaiting_review(sample.member(org, bob))[0]] == [waiting.pk]
    assert dashboard.awaiting_review(sample.member(org, alice)) == ([], 0)
    assert "Le bilan annuel" in _card(login(client, bob).get(URL).content.decode())
    approval.decide(
        waiting, waiting.current_version_id or 0, "approved", member=sample.member(org, bob)
    )
    assert dashboard.awaiting_review(sample.member(org, bob)) == ([], 0)
    mine, count = dashboard.awaiting_review(sample.member(org, alice))
    assert [r.pk for r in mine] == [waiting.pk] and count == 1


def test_a_lifted_embargo_counts_as_published(alice: User, bob: User, org: Organisation) -> None:
    instant = timezone.now() + timedelta(hours=1)
    made = sample.scheduled(org, bob, alice, instant)
    member = sample.member(org, alice)
    assert [r.pk for r in dashboard.scheduled(member, instant - timedelta(seconds=1))[0]] == [
        made.pk
    ]
    assert dashboard.recently_published(member, instant - timedelta(seconds=1)) == []
    assert dashboard.scheduled(member, instant) == ([], 0)
    assert [r.pk for r in dashboard.recently_published(member, instant)] == [made.pk]


def test_it_keeps_other_organisations_out(
    as_alice: Client, org: Organisation, other_org: Organisation, charlie: User
) -> None:
    public_release(other_org, "Secret d’une autre", slug="secret")
    card = _card(as_alice.get(URL).content.decode())
    assert "Secret d’une autre" not in card
    assert "No release has been published yet." in card or "Aucun communiqué" in card


def test_it_links_the_editor_to_the_preview_links(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    made = sample.scheduled(org, bob, alice, timezone.now() + timedelta(days=2))
    html = as_alice.get(f"/o/acme/releases/{made.pk}/").content.decode()
    assert f'href="/o/acme/releases/{made.pk}/previews/"' in html
