from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.tests import sample


def test_it_shows_the_preview_and_history(as_vera: Client, org: Organisation, bob: User) -> None:
    release = sample.release(org, bob)
    page = as_vera.get(f"/o/acme/releases/{release.pk}/").content.decode()
    assert "Communiqué de presse" in page and "Pour diffusion immédiate" in page
    assert "/newsroom/acme/" in page
    assert "Release created" in page


def test_an_outsider_gets_404(as_charlie: Client, org: Organisation, bob: User) -> None:
    assert as_charlie.get(f"/o/acme/releases/{sample.release(org, bob).pk}/").status_code == 404


def test_it_rejects_post(as_bob: Client, org: Organisation, bob: User) -> None:
    assert as_bob.post(f"/o/acme/releases/{sample.release(org, bob).pk}/").status_code == 405
