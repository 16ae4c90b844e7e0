from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases import approval, services
from pressdesk.releases.tests import sample


def test_a_director_sees_the_exact_version_and_the_diff(
    as_alice: Client, org: Organisation, alice: User, bob: User
) -> None:
    release = sample.approved(org, bob, alice, body="Le parc produit 10 GWh.")
    services.save_version(
        release, services.Draft(title=release.title, body="Le parc produit 12 GWh."), by=bob
    )
    approval.submit(release, member=sample.member(org, bob))
    page = as_alice.get(f"/o/acme/releases/{release.pk}/review/").content.decode()
    assert f'name="version" value="{release.current_version_id}"' in page
    assert "<del>10 </del><ins>12 </ins>" in page
    assert "Approve this version" in page


def test_a_press_officer_sees_no_approval_buttons(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    release = sample.release(org, bob)
    approval.submit(release, member=sample.member(org, bob))
    page = as_bob.get(f"/o/acme/releases/{release.pk}/review/").content.decode()
    assert "Approve this version" not in page and "Publish now" not in page


def test_an_outsider_gets_404(as_charlie: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_charlie.get(f"/o/acme/releases/{release.pk}/review/").status_code == 404


def test_it_rejects_post(as_alice: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    assert as_alice.post(f"/o/acme/releases/{release.pk}/review/").status_code == 405
