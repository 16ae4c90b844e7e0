"""The pitch board: story ideas moving idea → in preparation → pitched → published (or dropped),
their comments, the summary presented to the department, and an idea turned into a release."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.timezone import now

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.models import Beat, Outlet
from pressdesk.lib.text import normalise
from pressdesk.releases import exporting, services
from pressdesk.releases.models import IdeaComment, IdeaState, Release, ReleaseTemplate, StoryIdea

FLOW = [IdeaState.IDEA, IdeaState.PREPARING, IdeaState.PITCHED, IdeaState.PUBLISHED]
COLUMNS = [*FLOW, IdeaState.DROPPED]
CURRENT = (IdeaState.IDEA, IdeaState.PREPARING, IdeaState.PITCHED)


def board_ideas(org: Organisation) -> QuerySet[StoryIdea]:
    """The organisation's ideas with what the board shows of them."""
    return (
        StoryIdea.objects.for_org(org)
        .select_related("owner")
        .prefetch_related("beats", "target_outlets")
        .annotate(comment_count=Count("comments", distinct=True))
        .order_by("position", "-updated", "pk")
    )


@dataclass
class Column:
    """One column of the board."""

    state: str
    label: Any  # lazy: said in the language of the page or document that shows it
    ideas: list[StoryIdea]


def board(org: Organisation) -> list[Column]:
    """The board's five columns, in the flow's order."""
    ideas = list(board_ideas(org))
    return [
        Column(state, IdeaState(state).label, [i for i in ideas if i.state == state])
        for state in COLUMNS
    ]


def neighbours(state: str) -> tuple[str | None, str | None]:
    """The states before and after `state` in the flow (a dropped idea goes back to ideas)."""
    if state == IdeaState.DROPPED:
        return None, IdeaState.IDEA
    i = FLOW.index(IdeaState(state))
    return (FLOW[i - 1] if i > 0 else None), (FLOW[i + 1] if i + 1 < len(FLOW) else None)


def outlets_named(org: Organisation, names: str) -> tuple[list[Outlet], list[str]]:
    """The press file's outlets named in a comma-separated list, and the names not found."""
    found, missing = [], []
    for name in (n.strip() for n in names.split(",")):
        if not name:
            continue
        outlet = Outlet.objects.for_org(org).filter(name_normalised=normalise(name)).first()
        if outlet is None:
            missing.append(name)
        elif outlet not in found:
            found.append(outlet)
    return found, missing


@transaction.atomic
def save_idea(
    org: Organisation,
    idea: StoryIdea | None,
    *,
    title: str,
    angle: str,
    owner: User | None,
    outlets: str,
    target_media: str,
    beats: Iterable[Beat],
) -> StoryIdea:
    """Create or change an idea; outlet names not in the press file join the target media."""
    found, missing = outlets_named(org, outlets)
    media = ", ".join([*missing, target_media.strip()] if target_media.strip() else missing)
    if idea is None:
        last = (
            StoryIdea.objects.for_org(org)
            .filter(state=IdeaState.IDEA)
            .aggregate(n=Max("position"))["n"]
        )
        idea = StoryIdea(org=org, position=(last if last is not None else -1) + 1)
    idea.title, idea.angle, idea.owner, idea.target_media = (
        title.strip(),
        angle.strip(),
        owner,
        media,
    )
    idea.updated = now()
    idea.save()
    idea.target_outlets.set(found)
    idea.beats.set([b for b in beats if b.org_id == org.pk])
    return idea


def move(idea: StoryIdea, state: str) -> StoryIdea:
    """Put the idea in another column, at its end."""
    if state not in IdeaState.values or state == idea.state:
        return idea
    last = (
        StoryIdea.objects.for_org(idea.org_id).filter(state=state).aggregate(n=Max("position"))["n"]
    )
    idea.state, idea.position, idea.updated = state, (last if last is not None else -1) + 1, now()
    idea.save(update_fields=["state", "position", "updated"])
    return idea


def comment(idea: StoryIdea, body: str, *, by: User) -> IdeaComment:
    """An internal comment on the idea."""
    StoryIdea.objects.for_org(idea.org_id).filter(pk=idea.pk).update(updated=now())
    return IdeaComment.objects.create(idea=idea, author=by, body=body.strip())


def to_release(idea: StoryIdea, *, by: User | None, request: HttpRequest | None = None) -> Release:
    """A draft release from the idea (its title, and its angle as the lead), linked to it; the
    idea moves to "in preparation" if it was still an idea."""
    template = ReleaseTemplate.EN if idea.org.language == "en" else ReleaseTemplate.FR_FR
    release = services.create_release(
        idea.org,
        services.Draft(title=idea.title, lead=idea.angle),
        template=template,
        by=by,
        request=request,
    )
    Release.objects.for_org(idea.org).filter(pk=release.pk).update(idea=idea)
    release.idea = idea
    if idea.state == IdeaState.IDEA:
        move(idea, IdeaState.PREPARING)
    return release


def summary_columns(org: Organisation) -> list[Column]:
    """The current ideas (not yet published or dropped), for the department's summary."""
    return [c for c in board(org) if c.state in CURRENT]


def summary_pdf(org: Organisation) -> bytes:
    """The one-page summary of current ideas as a PDF (same safe renderer as releases)."""
    html = render_to_string(
        "releases/pdf/ideas.html",
        {
            "org": org,
            "brand": exporting.brand(org),
            "columns": summary_columns(org),
            "lang": "en" if org.language == "en" else "fr",
            "today": now(),
        },
    )
    return exporting.render_pdf(html)
