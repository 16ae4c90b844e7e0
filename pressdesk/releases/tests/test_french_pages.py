"""Every page of the editor and the review in French: no English word or untranslated sentence."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.conftest import login
from pressdesk.releases import approval, services
from pressdesk.releases.tests import sample
from pressdesk.tests.test_shell_translations import _assert_french


@pytest.mark.parametrize(
    "page", ["", "new/", "settings/", "{id}/", "{id}/edit/", "{id}/review/", "{id}/version/"]
)
def test_a_french_director_reads_french(
    client: Client, org: Organisation, alice: User, bob: User, page: str
) -> None:
    alice.language = "fr"
    alice.save()
    login(client, alice)
    release = sample.approved(org, bob, alice)
    services.save_version(release, services.Draft(title="Titre corrigé", body="Texte."), by=bob)
    approval.submit(release, member=sample.member(org, bob))
    path = page.replace("{id}", str(release.pk))
    if path.endswith("/version/"):
        path = f"{release.pk}/versions/{release.current_version_id}/"
    r = client.get(f"/o/acme/releases/{path}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    _assert_french(r.content.decode())
