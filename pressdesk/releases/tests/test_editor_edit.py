from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.models import Release, ReviewDecision
from pressdesk.releases.tests import sample


def url(release: Release) -> str:
    return f"/o/acme/releases/{release.pk}/edit/"


FORM = {
    "title": "Titre : nouveau",
    "subtitle": "",
    "dateline": "Paris, le 3 mars 2027",
    "lead": "Chapeau.",
    "body": "Texte.",
    "topics": "Énergie, Emploi",
}


def test_it_saves_a_new_version(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    r = as_bob.post(url(release), FORM)
    assert r.status_code == 302
    release.refresh_from_db()
    assert release.versions.count() == 2
    assert release.title == "Titre\u00a0: nouveau"
    assert sorted(release.topics.values_list("name", flat=True)) == ["Emploi", "Énergie"]


def test_it_shows_the_live_count(as_bob: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    page = as_bob.get(url(release)).content.decode()
    assert 'data-char-min="1000"' in page and "releases/editor.js" in page
    assert 'class="char-count warn"' in page  # the sample is shorter than a page


def test_an_edit_after_approval_voids_it_visibly(
    as_bob: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice)
    as_bob.post(url(release), FORM)
    release.refresh_from_db()
    assert release.state == "draft" and release.approved_version_id is None
    assert ReviewDecision.objects.get(release=release).voided_at is not None
    page = as_bob.get(url(release)).content.decode()
    assert "Approval voided: the text changed after the approval" in page


def test_a_published_release_cannot_change(
    as_bob: Client, org: Organisation, alice: User, bob: User
) -> None:
    from pressdesk.releases import embargo

    release = sample.approved(org, bob, alice)
    embargo.publish_now(release, member=sample.member(org, alice))
    as_bob.post(url(release), FORM)
    assert release.versions.count() == 1


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_vera.post(url(release), FORM).status_code == 403
    assert release.versions.count() == 1


def test_another_organisations_release_is_404(
    as_charlie: Client, org: Organisation, bob: User
) -> None:
    release = sample.release(org, bob)
    assert as_charlie.get(url(release)).status_code == 404
    assert as_charlie.post(url(release), FORM).status_code == 404


def test_it_rejects_delete(as_bob: Client, org: Organisation, bob: User) -> None:
    assert as_bob.delete(url(sample.release(org, bob))).status_code == 405
