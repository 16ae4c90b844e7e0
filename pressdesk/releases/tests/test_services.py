from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.releases import approval, effects, embargo, services
from pressdesk.releases.models import (
    EffectKind,
    ReleaseEffect,
    ReleaseState,
    ReleaseTemplate,
    ReviewDecision,
)
from pressdesk.releases.rendering import render_release_html
from pressdesk.releases.states import NotAllowed, ReleaseError
from pressdesk.releases.tests import sample
from pressdesk.work.models import WorkState

NBSP, NNBSP = "\u00a0", "\u202f"


def test_it_sets_french_typography_when_saving(org: Organisation, bob: User) -> None:
    release = sample.release(org, bob, title="Portes ouvertes : venez !")
    version = release.current_version
    assert version is not None
    assert version.title == f"Portes ouvertes{NBSP}: venez{NNBSP}!"
    assert f"14{NBSP}h{NBSP}30{NBSP}:" in version.body_html
    assert f"«{NBSP}Nous voulons montrer ce que nous faisons{NBSP}»" in version.body_html
    assert 'href="https://example.org/visites"' in version.body_html
    assert version.dateline.startswith("Paris, le ")


def test_english_keeps_its_own_typography(org: Organisation, bob: User) -> None:
    release = sample.release(
        org, bob, title="Open day: come!", template=ReleaseTemplate.EN, body="At 14:30: tours."
    )
    version = release.current_version
    assert version is not None
    assert version.title == "Open day: come!"
    assert "At 14:30: tours." in version.body_html
    assert version.dateline.startswith("PARIS, ") and version.dateline.endswith(" —")


def test_the_body_is_sanitised(org: Organisation, bob: User) -> None:
    release = sample.release(
        org, bob, body='<script>alert(1)</script> [x](javascript:alert(1)) <img src="file:///e">'
    )
    html = release.current_version.body_html if release.current_version else ""
    assert "<script" not in html and "javascript:" not in html.replace("[x](javascript", "")
    assert "<img" not in html


def test_it_copies_the_boilerplate_and_renders_the_template(
    org: Organisation, alice: User, bob: User
) -> None:
    services.save_boilerplate(
        org,
        ReleaseTemplate.FR_CA,
        "Acme produit de l'énergie.",
        "Marie Dupont\n+33 1 23 45 67 89",
        by=alice,
    )
    release = sample.release(org, bob, template=ReleaseTemplate.FR_CA)
    html = render_release_html(release.current_version)  # type: ignore[arg-type]
    assert "Communiqué de presse" in html
    assert "-30-" in html
    assert "À propos d’Acme Énergie" in html
    assert "Acme produit de l’énergie." in html
    assert "Marie Dupont<br>" in html
    assert "Montréal, le " in html
    # Québec: no space before ! ? ;
    assert f"{NNBSP}!" not in html


def test_the_character_count_covers_the_release_words(org: Organisation, bob: User) -> None:
    release = sample.release(org, bob, title="Titre", lead="Chapeau.", body="Un corps.")
    assert release.current_version is not None
    assert release.current_version.char_count == len("Titre Chapeau. Un corps.")


def test_the_chain_signs_in_order_and_the_director_approves(
    org: Organisation, alice: User, bob: User, sam: User
) -> None:
    services.save_review_chain(org, [("Service presse", None), ("Direction", None)], by=alice)
    release = sample.release(org, bob)
    approval.submit(release, member=sample.member(org, bob))
    version_id = release.current_version_id or 0
    # A spokesperson cannot sign the press office's step; the officer can.
    with pytest.raises(NotAllowed):
        approval.decide(release, version_id, "approved", member=sample.member(org, sam))
    approval.decide(release, version_id, "approved", member=sample.member(org, bob))
    assert release.state == ReleaseState.IN_REVIEW
    # The last step needs a director.
    with pytest.raises(NotAllowed):
        approval.decide(release, version_id, "approved", member=sample.member(org, bob))
    approval.decide(release, version_id, "approved", member=sample.member(org, alice))
    assert release.state == ReleaseState.APPROVED
    assert release.approved_version_id == version_id
    actions = list(AuditEntry.objects.filter(org=org).values_list("action", flat=True))
    assert actions.count("release.sign_off") == 1 and "release.approve" in actions


def test_a_decision_is_for_the_exact_version(org: Organisation, alice: User, bob: User) -> None:
    release = sample.release(org, bob)
    first = release.current_version_id or 0
    approval.submit(release, member=sample.member(org, bob))
    services.save_version(release, services.Draft(title="Autre titre"), by=bob)
    with pytest.raises(ReleaseError):
        approval.decide(release, first, "approved", member=sample.member(org, alice))
    assert release.state == ReleaseState.IN_REVIEW


def test_an_edit_after_approval_voids_it(org: Organisation, alice: User, bob: User) -> None:
    release = sample.approved(org, bob, alice)
    services.save_version(release, services.Draft(title="Titre corrigé"), by=bob)
    assert release.state == ReleaseState.DRAFT
    assert release.approved_version_id is None
    decision = ReviewDecision.objects.get(release=release)
    assert decision.voided_at is not None
    with pytest.raises(ReleaseError):
        embargo.publish_now(release, member=sample.member(org, alice))


def test_changes_requested_send_it_back(org: Organisation, alice: User, bob: User) -> None:
    release = sample.release(org, bob)
    approval.submit(release, member=sample.member(org, bob))
    approval.decide(
        release,
        release.current_version_id or 0,
        "changes",
        member=sample.member(org, alice),
        comment="Le chiffre ?",
    )
    assert release.state == ReleaseState.DRAFT


def test_only_a_director_publishes(org: Organisation, alice: User, bob: User) -> None:
    release = sample.approved(org, bob, alice)
    with pytest.raises(NotAllowed):
        embargo.publish_now(release, member=sample.member(org, bob))
    with pytest.raises(NotAllowed):
        embargo.schedule(release, now() + timedelta(days=1), member=sample.member(org, bob))
    embargo.publish_now(release, member=sample.member(org, alice))
    assert release.state == ReleaseState.PUBLISHED and release.is_public()


def test_scheduling_plans_effects_and_withdrawing_cancels_them(
    org: Organisation, alice: User, bob: User
) -> None:
    release = sample.scheduled(org, bob, alice, now() + timedelta(days=2))
    planned = ReleaseEffect.objects.for_org(org).filter(release=release)
    assert {e.kind for e in planned} == set(EffectKind.values)
    assert not release.is_public()
    embargo.withdraw(release, member=sample.member(org, alice), reason="Erreur")
    assert release.state == ReleaseState.WITHDRAWN
    assert all(e.cancelled_at is not None for e in planned.all())
    assert not effects.run(planned.first().pk)  # type: ignore[union-attr]


def test_effects_run_at_the_instant(org: Organisation, alice: User, bob: User) -> None:
    import time_machine

    ran: list[int] = []
    previous = dict(effects.DISPATCH)
    effects.register_effect(EffectKind.FEED_PING, lambda effect: ran.append(effect.release_id))
    try:
        at = now() + timedelta(hours=1)
        release = sample.scheduled(org, bob, alice, at)
        ping = ReleaseEffect.objects.for_org(org).get(release=release, kind=EffectKind.FEED_PING)
        assert not effects.run(ping.pk) and ran == []
        with time_machine.travel(at + timedelta(seconds=1), tick=False):
            assert effects.run_due() == 2
        assert ran == [release.pk]
        ping.refresh_from_db()
        assert ping.state == WorkState.DONE and ping.cancelled_at is None
    finally:
        effects.DISPATCH.update(previous)


def test_a_translation_links_both_ways(org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    other = services.create_translation(release, by=bob)
    release.refresh_from_db()
    assert other.template == ReleaseTemplate.EN
    assert release.translation_id == other.pk and other.translation_id == release.pk
    with pytest.raises(ReleaseError):
        services.link_translation(release, sample.release(org, bob, title="Autre"), by=bob)


def test_removing_a_step_voids_its_sign_offs(org: Organisation, alice: User, bob: User) -> None:
    services.save_review_chain(org, [("Service presse", None), ("Direction", None)], by=alice)
    release = sample.release(org, bob)
    approval.submit(release, member=sample.member(org, bob))
    approval.decide(
        release, release.current_version_id or 0, "approved", member=sample.member(org, bob)
    )
    services.save_review_chain(org, [], by=alice)
    # The direction alone now signs, and the press office's sign-off does not stand for it.
    step = approval.next_step(release)
    assert step is not None and step.last
    approval.decide(
        release, release.current_version_id or 0, "approved", member=sample.member(org, alice)
    )
    assert release.state == ReleaseState.APPROVED


def test_a_release_never_takes_the_address_of_a_newsroom_page(org: Organisation, bob: User) -> None:
    first = sample.release(org, bob, title="Kits")
    second = sample.release(org, bob, title="Kits")
    # /newsroom/<org>/kits/ is the press kits' address: the release goes beside it.
    assert (first.slug, second.slug) == ("kits-2", "kits-3")
