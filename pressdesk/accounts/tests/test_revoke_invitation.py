from __future__ import annotations

from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.accounts.tests.utils import make_invitation


def _url(invitation_id: int, slug: str = "acme") -> str:
    return f"/o/{slug}/team/invitations/{invitation_id}/revoke/"


def test_it_works(as_alice: Client, alice: User, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    r = as_alice.post(_url(invitation.pk))
    assert r.status_code == 302
    assert r["Location"] == "/o/acme/team/"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    entry = AuditEntry.objects.get(action="team.invite_revoke")
    assert (entry.actor, entry.object_id) == (alice, str(invitation.pk))


def test_it_does_nothing_to_an_accepted_invitation(as_alice: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    invitation.accepted_at = timezone.now()
    invitation.save()
    as_alice.post(_url(invitation.pk))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert not AuditEntry.objects.filter(action="team.invite_revoke").exists()


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    assert as_charlie.post(_url(invitation.pk)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_does_not_reach_another_teams_invitation(
    as_charlie: Client, alice: User, org: Organisation
) -> None:
    # Charlie directs "other": through his own organisation's URL, Acme's invitation is absent.
    invitation, _ = make_invitation(org)
    assert as_charlie.post(_url(invitation.pk, "other")).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_is_for_directors_only(as_bob: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    assert as_bob.post(_url(invitation.pk)).status_code == 403


def test_it_forbids_a_viewer(as_vera: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    assert as_vera.post(_url(invitation.pk)).status_code == 403


def test_it_rejects_get(as_alice: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    assert as_alice.get(_url(invitation.pk)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_it_requires_login(client: Client, org: Organisation) -> None:
    invitation, _ = make_invitation(org)
    assert client.post(_url(invitation.pk)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
