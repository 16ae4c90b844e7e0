"""Running polls and the pipeline inline, for the command line (no worker needed)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from pressdesk.monitoring import pipeline, polling
from pressdesk.monitoring.models import Item, Source, SourcePoll, Stage
from pressdesk.work.models import WorkState


@dataclass
class PollLine:
    source_id: int
    new: int = 0
    clippings: int = 0
    quarantined: int = 0
    error: str = ""
    not_modified: bool = False
    busy: bool = False


BATCH = 200  # articles per transaction: a poll's worth, short enough to hold locks briefly


def run_items(
    item_ids: list[int], pages: pipeline.PageSource = pipeline.fetch_page
) -> list[pipeline.Outcome]:
    """Run these articles through the pipeline now (those a worker has not taken already).

    They go in batches per organisation (pipeline.process_batch), in the order given.
    """
    by_org: dict[int, list[int]] = {}
    # all-orgs: the ids were just stored by this process; only their organisation is read
    for pk, org_id in Item.objects.filter(pk__in=item_ids).values_list("pk", "org_id"):
        by_org.setdefault(org_id, []).append(pk)
    order = {item_id: index for index, item_id in enumerate(item_ids)}
    outcomes: list[pipeline.Outcome] = []
    for org_id, ids in by_org.items():
        ids.sort(key=order.__getitem__)
        for start in range(0, len(ids), BATCH):
            outcomes += pipeline.process_batch(org_id, ids[start : start + BATCH], pages)
    outcomes.sort(key=lambda outcome: order[outcome.item_id])
    return outcomes


def poll_inline(sources: list[Source], *, due_only: bool = True) -> Iterator[PollLine]:
    """Poll each source (all of them, or only the due ones) and process what it found."""
    now = timezone.now()
    for source in sources:
        polls = SourcePoll.objects.for_org(source.org_id).filter(
            source=source, state__in=[WorkState.DONE, WorkState.FAILED]
        )
        if due_only:
            polls = polls.filter(due_at__lte=now)
        poll = polls.first()
        if poll is None:
            continue
        if not polls.filter(pk=poll.pk).update(state=WorkState.PENDING, queued_at=now):
            continue
        report = polling.run_poll(poll.pk, wait_for_host=True)
        if report is None:
            yield PollLine(source.pk, busy=True)
            continue
        outcomes = run_items(report.new_items)
        yield PollLine(
            source.pk,
            new=len(report.new_items),
            clippings=sum(o.clippings for o in outcomes),
            quarantined=sum(1 for o in outcomes if o.stage == Stage.QUARANTINED),
            error=report.error,
            not_modified=report.not_modified,
        )
