"""A realistic French press office, for the screenshots in docs/screenshots/.

It is the demo's organisation and team (pressdesk.demo), with a history: people joined over the
past weeks, a role changed, an invitation was revoked and another is pending, and there is an API
token. The audit entries are those the services record for the same story (same actions, same
labels), dated in the past; they are written directly because the services date them "now".
Each module's demo loader then adds its sample records (contacts, outlets, lists…).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone

from pressdesk.accounts.models import (
    ApiToken,
    AuditEntry,
    Invitation,
    Membership,
    Organisation,
    User,
    token_hash,
)
from pressdesk.accounts.roles import Role
from pressdesk.demo import COLLEAGUES, ORG_NAME, ORG_SLUG
from pressdesk.modules import demo_loaders
from pressdesk.work.models import WorkerHeartbeat

__all__ = ["ORG_NAME", "ORG_SLUG", "FrenchOffice", "populate_french_office"]

DOMAIN = "ecvl.example"
# Days since each of the demo's colleagues joined, in the order of pressdesk.demo.COLLEAGUES.
JOINED = [40, 37, 21, 3]
# Addresses from the documentation ranges (RFC 5737): the screenshots are published.
OFFICE_IP = "192.0.2.14"
HOME_IP = "198.51.100.23"
# The pending invitation's secret, so that tests can open its link.
PENDING_INVITATION_TOKEN = "screenshots-pending"


# A journalists' file from a trade show, as a press officer would receive it: a long name, the
# semicolons and accents of a French spreadsheet.
IMPORT_NAME = "Journalistes rencontrés au salon Énergies Renouvelables de Tours 2026.csv"
IMPORT_CSV = """Prénom;Nom;E-mail;Média;Fonction
Inès;Garnier;ines.garnier@ouest-energie.example.fr;Ouest Énergie;Journaliste
Thomas;Lambert;t.lambert@la-gazette-du-centre.example.fr;La Gazette du Centre;Rédacteur en chef
Amandine;Roux;amandine.roux.pigiste-environnement@exemple-redaction.example.org;;Pigiste
"""


def _press_file_history(org: Organisation, director: User) -> None:
    """What a press office's file has been through: an import, an export, a duplicates scan.

    Done through the services, so that the audit log says what they recorded.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pressdesk.contacts import duplicates, exporting
    from pressdesk.contacts.importing import jobs

    upload = SimpleUploadedFile(IMPORT_NAME, IMPORT_CSV.encode(), content_type="text/csv")
    job, _source = jobs.start(org, upload, by=director, list_name="Salon de Tours 2026")
    jobs.run_soon(job)  # a small file: the dry run happens now
    job.refresh_from_db()
    if jobs.claim(job):
        jobs.run_soon(job)
    contacts = exporting.contacts_for(org, None)
    exporting.record_export(
        org,
        file_format=exporting.XLSX,
        count=contacts.count(),
        scope="all",
        file_name=exporting.filename(org, exporting.XLSX),
        by=director,
    )
    duplicates.find_duplicates(org)


@dataclass
class FrenchOffice:
    org: Organisation
    director: User
    members: list[User]


def _audit(
    delta: timedelta,
    action: str,
    org: Organisation,
    actor: User,
    obj: models.Model,
    *,
    ip: str = OFFICE_IP,
    **data: object,
) -> None:
    """One audit entry, `delta` ago, as `pressdesk.accounts.audit.record` would write it."""
    AuditEntry(
        created=timezone.now() - delta,
        org=org,
        actor=actor,
        actor_label=actor.email,
        action=action,
        ip=ip,
        data=data,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
    ).save()


def populate_french_office(password: str) -> FrenchOffice:
    """Create the office, its team and its history; every member's password is `password`."""
    day = timedelta(days=1)
    org = Organisation.objects.create(
        name=ORG_NAME,
        slug=ORG_SLUG,
        timezone="Europe/Paris",
        language="fr",
        created=timezone.now() - JOINED[0] * day,
    )
    members: list[User] = []
    for (address, name, _title, role), joined in zip(COLLEAGUES, JOINED, strict=True):
        user = User.objects.create_user(address, password, full_name=name, language="fr")
        membership = Membership.objects.create(
            user=user, org=org, role=role, created=timezone.now() - joined * day
        )
        members.append(user)
        if role == Role.DIRECTOR:
            _audit(joined * day, "org.create", org, user, org)
            continue
        director = members[0]
        # The spokesperson came in as a viewer and was promoted later (below).
        invited_as = Role.VIEWER if role == Role.SPOKESPERSON else role
        invitation = Invitation.objects.create(
            org=org,
            email=address,
            role=invited_as,
            token_hash=token_hash(f"screenshots-{address}"),
            invited_by=director,
            created=timezone.now() - (joined + 1) * day,
            accepted_at=timezone.now() - joined * day,
        )
        _audit((joined + 1) * day, "team.invite", org, director, invitation, role=invited_as)
        _audit(joined * day, "team.join", org, user, membership, ip=HOME_IP, role=invited_as)
        if role == Role.SPOKESPERSON:
            membership.role = Role.VIEWER
            _audit(14 * day, "team.role_change", org, director, membership, old="viewer", new=role)
            membership.role = role

    director = members[0]
    director_membership = Membership.objects.get(user=director, org=org)
    token = ApiToken.objects.create(
        membership=director_membership,
        name="Revue de presse (tableur)",
        prefix="pd_Xq3vR8s",
        key_hash=token_hash("screenshots-token"),
        created=timezone.now() - 9 * day,
        last_used=timezone.now() - timedelta(hours=5),
    )
    _audit(9 * day, "api.token_create", org, director, director_membership, name=token.name)

    revoked = Invitation.objects.create(
        org=org,
        email=f"stagiaire@{DOMAIN}",
        role=Role.VIEWER,
        token_hash=token_hash("screenshots-intern"),
        invited_by=director,
        created=timezone.now() - 6 * day,
        revoked_at=timezone.now() - 5 * day,
    )
    _audit(6 * day, "team.invite", org, director, revoked, role=revoked.role)
    _audit(5 * day, "team.invite_revoke", org, director, revoked)

    pending = Invitation.objects.create(
        org=org,
        email=f"nadia.benali@{DOMAIN}",
        role=Role.PRESS_OFFICER,
        token_hash=token_hash(PENDING_INVITATION_TOKEN),
        invited_by=director,
        created=timezone.now() - timedelta(hours=2),
    )
    _audit(timedelta(hours=2), "team.invite", org, director, pending, role=pending.role)
    _audit(timedelta(minutes=35), "org.settings_change", org, director, org, fields=["timezone"])

    for loader in demo_loaders():
        loader(org)
    _press_file_history(org, director)
    # A real installation runs a worker, and the sidebar says whether one reported in lately.
    WorkerHeartbeat.objects.create(worker_id="screenshots", hostname="pressdesk-1", pid=4242)
    return FrenchOffice(org=org, director=director, members=members)
