"""Embargo preview links: made for one journalist, each opening logged, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.conftest import login
from pressdesk.contacts import editing
from pressdesk.releases.models import PreviewLink, ReleaseState
from pressdesk.releases.tests.newsroom_data import release

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargoed(org: Organisation):  # type: ignore[no-untyped-def]
    editing.save_contact(
        org,
        None,
        {"first_name": "Marie", "last_name": "Dupont", "emails": ["marie@journal.fr"]},
        by=None,
    )
    return release(
        org,
        "Fusion annoncée",
        slug="fusion",
        state=ReleaseState.SCHEDULED,
        visible_from=timezone.now() + timedelta(days=2),
    )


def test_it_makes_a_link_logs_openings_and_revokes(
    as_alice: Client, org: Organisation, embargoed: object
) -> None:
    url = f"/o/acme/releases/{embargoed.pk}/previews/"  # type: ignore[attr-defined]
    response = as_alice.post(url, {"address": "MARIE@journal.fr"})
    assert response.status_code == 302
    link = PreviewLink.objects.for_org(org).get()
    assert link.recipient == "Marie Dupont <marie@journal.fr>"
    public = Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Lecteur/1.0")
    page = public.get(f"/newsroom/acme/preview/{link.token}/")
    assert page.status_code == 200
    assert "Under embargo until" in page.content.decode() or "Sous embargo" in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    view = link.views.get()
    assert view.ip == "203.0.113.9" and view.user_agent == "Lecteur/1.0"
    listing = as_alice.get(url).content.decode()
    assert "203.0.113.9" in listing and "Lecteur/1.0" in listing
    as_alice.post(f"/o/acme/releases/previews/{link.pk}/revoke/")
    assert public.get(f"/newsroom/acme/preview/{link.token}/").status_code == 404
    actions = set(AuditEntry.objects.filter(org=org).values_list("action", flat=True))
    assert {"release.preview_link", "release.preview_revoke"} <= actions


def test_the_page_is_french_for_a_french_release(org: Organisation, embargoed: object) -> None:
    from pressdesk.releases import previews

    link = previews.create(embargoed, contact=None, recipient="x", by=None)  # type: ignore[arg-type]
    html = Client().get(f"/newsroom/acme/preview/{link.token}/").content.decode()
    assert "Sous embargo jusqu’au" in html or "Sous embargo jusqu'au" in html


def test_it_refuses_an_unknown_address(as_alice: Client, embargoed: object) -> None:
    url = f"/o/acme/releases/{embargoed.pk}/previews/"  # type: ignore[attr-defined]
    assert as_alice.post(url, {"address": "nobody@x.fr"}).status_code == 400


def test_a_viewer_can_read_but_not_make_or_revoke(
    client: Client, vera: User, org: Organisation, embargoed: object
) -> None:
    from pressdesk.releases import previews

    login(client, vera)
    url = f"/o/acme/releases/{embargoed.pk}/previews/"  # type: ignore[attr-defined]
    assert client.get(url).status_code == 200
    assert client.post(url, {"address": "marie@journal.fr"}).status_code == 403
    link = previews.create(embargoed, contact=None, recipient="x", by=None)  # type: ignore[arg-type]
    assert client.post(f"/o/acme/releases/previews/{link.pk}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None


def test_an_outsider_gets_404(as_charlie: Client, embargoed: object) -> None:
    assert as_charlie.get(f"/o/acme/releases/{embargoed.pk}/previews/").status_code == 404  # type: ignore[attr-defined]


def test_another_organisations_link_is_404(
    org: Organisation, other_org: Organisation, embargoed: object
) -> None:
    from pressdesk.releases import previews

    link = previews.create(embargoed, contact=None, recipient="x", by=None)  # type: ignore[arg-type]
    assert Client().get(f"/newsroom/other/preview/{link.token}/").status_code == 404
