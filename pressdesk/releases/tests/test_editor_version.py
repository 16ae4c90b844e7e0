from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases import services
from pressdesk.releases.models import VersionComment
from pressdesk.releases.tests import sample


def test_it_shows_the_word_diff(as_vera: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob, body="Le parc produit 10 GWh.")
    second = services.save_version(
        release, services.Draft(title=release.title, body="Le parc produit 12 GWh."), by=bob
    )
    page = as_vera.get(f"/o/acme/releases/{release.pk}/versions/{second.pk}/").content.decode()
    assert "<del>10 </del><ins>12 </ins>" in page


def test_it_takes_a_comment_on_the_exact_version(
    as_sam: Client, org: Organisation, bob: User
) -> None:
    release = sample.release(org, bob)
    version = release.current_version
    assert version is not None
    url = f"/o/acme/releases/{release.pk}/versions/{version.pk}/comment/"
    assert as_sam.post(url, {"body": "Vérifier le chiffre."}).status_code == 302
    assert VersionComment.objects.get(version=version).body == "Vérifier le chiffre."
    assert as_sam.get(url).status_code == 405


def test_another_releases_version_is_404(as_vera: Client, org: Organisation, bob: User) -> None:
    one, two = sample.release(org, bob), sample.release(org, bob, title="Autre")
    assert two.current_version is not None
    url = f"/o/acme/releases/{one.pk}/versions/{two.current_version.pk}/"
    assert as_vera.get(url).status_code == 404


def test_an_outsider_gets_404(as_charlie: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert release.current_version is not None
    url = f"/o/acme/releases/{release.pk}/versions/{release.current_version.pk}/"
    assert as_charlie.get(url).status_code == 404
    assert as_charlie.post(url + "comment/", {"body": "x"}).status_code == 404
    assert not VersionComment.objects.exists()
