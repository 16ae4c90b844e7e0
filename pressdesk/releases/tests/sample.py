"""Releases made for tests, through the services (as a user would make them)."""

from __future__ import annotations

from datetime import datetime

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.releases import approval, embargo, services
from pressdesk.releases.models import Release, ReleaseTemplate

BODY = (
    "La centrale de Saint-Nazaire ouvre ses portes au public le 3 mars à 14h30 : "
    "visites guidées, ateliers et conférences !\n\n"
    '> "Nous voulons montrer ce que nous faisons", dit la directrice.\n\n'
    "Informations pratiques sur [le site](https://example.org/visites)."
)


def member(org: Organisation, user: User) -> Membership:
    return Membership.objects.for_org(org).get(user=user)


def release(
    org: Organisation,
    by: User,
    *,
    title: str = "Journée portes ouvertes à la centrale",
    template: str = ReleaseTemplate.FR_FR,
    body: str = BODY,
    lead: str = "La centrale ouvre ses portes le 3 mars.",
) -> Release:
    """A draft with one version."""
    return services.create_release(
        org, services.Draft(title=title, lead=lead, body=body), template=template, by=by
    )


def approved(org: Organisation, author: User, director: User, **kwargs: str) -> Release:
    """A release submitted and approved by the director (no chain: the direction alone)."""
    made = release(org, author, **kwargs)
    approval.submit(made, member=member(org, author))
    approval.decide(made, made.current_version_id or 0, "approved", member=member(org, director))
    made.refresh_from_db()
    return made


def scheduled(org: Organisation, author: User, director: User, at: datetime) -> Release:
    """An approved release under embargo until `at`."""
    made = approved(org, author, director)
    embargo.schedule(made, at, member=member(org, director))
    made.refresh_from_db()
    return made
