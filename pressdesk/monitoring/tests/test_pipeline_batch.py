"""A poll's articles through the pipeline together (pipeline.process_batch): one claim, one
transaction, and a bad article that sinks only itself."""

from __future__ import annotations

import pytest

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import bylines, pipeline, runner, watch
from pressdesk.monitoring.models import Clipping, Item, Stage, StoryBand
from pressdesk.work.models import WorkState

WIRE = (
    "<p>Acme ouvre une usine à Lyon, annonce sa directrice Marie Dupont, qui prévoit trois cents"
    " emplois d'ici deux ans dans la vallée du Rhône et un centre de recherche.</p>"
)


def _item(
    org: Organisation, key: str, content: str, author: str = "", title: str = "Acme à Lyon"
) -> Item:
    return Item.objects.for_org(org).create(
        url=f"https://x.example/{key}",
        url_key=key,
        title=title,
        author=author,
        payload={"content": content, "content_is_full": True},
    )


@pytest.fixture
def queries(org: Organisation) -> None:
    watch.save(org, "Acme", "acme")


def test_it_runs_a_batch_in_order_and_joins_copies_within_it(
    org: Organisation, queries: None
) -> None:
    items = [
        _item(org, "a", WIRE),
        _item(org, "b", WIRE),
        _item(org, "c", "<p>Rien.</p>", title="Météo"),
    ]
    outcomes = runner.run_items([i.pk for i in items], pages=lambda url: None)
    assert [o.item_id for o in outcomes] == [i.pk for i in items]
    assert [o.stage for o in outcomes] == [Stage.DONE] * 3
    assert [o.clippings for o in outcomes] == [1, 1, 0]
    first, copy, other = (Item.objects.for_org(org).get(pk=i.pk) for i in items)
    # The copy found the story its twin started earlier in the same batch.
    assert first.story_id == copy.story_id != other.story_id
    assert first.story is not None and first.story.appearance_count == 2
    assert StoryBand.objects.for_org(org).filter(story_id=first.story_id).count() == 16
    assert all(i.state == WorkState.DONE for i in (first, copy, other))


def test_an_article_failing_in_the_pipeline_sinks_only_itself(
    org: Organisation, queries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _item(org, "good", WIRE)
    bad = _item(org, "bad", WIRE.replace("Lyon", "Nantes"), author="Jean Bug")
    after = _item(org, "after", "<p>Acme à Brest, une autre histoire entièrement.</p>")
    link = bylines.link

    def failing_link(item: Item) -> object:
        if item.author == "Jean Bug":
            raise RuntimeError("broken byline")
        return link(item)

    monkeypatch.setattr(bylines, "link", failing_link)
    outcomes = pipeline.process_batch(org.pk, [good.pk, bad.pk, after.pk], lambda url: None)
    stages = {o.item_id: o.stage for o in outcomes}
    assert stages == {good.pk: Stage.DONE, bad.pk: Stage.QUARANTINED, after.pk: Stage.DONE}
    bad.refresh_from_db()
    assert bad.state == WorkState.DONE and "broken byline" in bad.quarantine_reason
    assert bad.story_id is None
    # Its story, bands and clipping were rolled back with its savepoint; the others stand.
    assert not Clipping.objects.for_org(org).filter(item=bad).exists()
    assert Clipping.objects.for_org(org).filter(item__in=[good, after]).count() == 2
    stories = set(StoryBand.objects.for_org(org).values_list("story_id", flat=True))
    assert stories == {
        Item.objects.for_org(org).get(pk=good.pk).story_id,
        Item.objects.for_org(org).get(pk=after.pk).story_id,
    }


def test_articles_another_worker_claimed_are_left_to_it(org: Organisation, queries: None) -> None:
    mine = _item(org, "mine", WIRE)
    theirs = _item(org, "theirs", WIRE)
    Item.objects.for_org(org).filter(pk=theirs.pk).update(
        state=WorkState.CLAIMED, claimed_by="other-worker"
    )
    outcomes = pipeline.process_batch(org.pk, [mine.pk, theirs.pk], lambda url: None)
    assert [o.item_id for o in outcomes] == [mine.pk]
    theirs.refresh_from_db()
    assert theirs.state == WorkState.CLAIMED and theirs.claimed_by == "other-worker"


def test_a_wake_up_takes_the_organisations_waiting_articles_along(
    org: Organisation, other_org: Organisation, queries: None
) -> None:
    first = _item(org, "first", WIRE)
    second = _item(org, "second", "<p>Acme à Brest, une autre histoire entièrement.</p>")
    elsewhere = Item.objects.for_org(other_org).create(
        url="https://x.example/elsewhere",
        url_key="elsewhere",
        payload={"content": WIRE, "content_is_full": True},
    )
    outcomes = pipeline.process_pending(second.pk, pages=lambda url: None)
    assert sorted(o.item_id for o in outcomes) == [first.pk, second.pk]
    assert pipeline.process_pending(first.pk, pages=lambda url: None) == []
    elsewhere.refresh_from_db()
    assert elsewhere.state == WorkState.PENDING


def test_a_batch_is_written_in_bulk_without_going_one_by_one(
    org: Organisation, queries: None, caplog: pytest.LogCaptureFixture
) -> None:
    items = [_item(org, f"k{n}", WIRE) for n in range(3)]
    with caplog.at_level("WARNING", logger="pressdesk.monitoring"):
        outcomes = pipeline.process_batch(org.pk, [i.pk for i in items], lambda url: None)
    assert "one by one" not in caplog.text
    assert [o.clippings for o in outcomes] == [1, 1, 1]
    stored = list(Item.objects.for_org(org).filter(pk__in=[i.pk for i in items]))
    assert {i.story_id for i in stored} == {outcomes[0].story_id}
    assert all(i.stage == Stage.DONE and i.payload == {} and i.extract for i in stored)
    assert stored[0].story is not None and stored[0].story.appearance_count == 3


def test_a_failing_bulk_write_sends_the_batch_one_by_one_with_the_same_result(
    org: Organisation, queries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pressdesk.monitoring import clustering

    def broken(org_id: int, articles: object) -> list[int]:
        raise RuntimeError("bulk write failed")

    monkeypatch.setattr(clustering, "assign_many", broken)
    items = [
        _item(org, "a", WIRE),
        _item(org, "b", WIRE),
        _item(org, "c", "<p>Rien.</p>", title="Météo"),
    ]
    outcomes = pipeline.process_batch(org.pk, [i.pk for i in items], lambda url: None)
    outcomes.sort(key=lambda o: o.item_id)
    assert [o.stage for o in outcomes] == [Stage.DONE] * 3
    assert [o.clippings for o in outcomes] == [1, 1, 0]
    first, copy, other = (Item.objects.for_org(org).get(pk=i.pk) for i in items)
    assert first.story_id == copy.story_id != other.story_id
    assert first.story is not None and first.story.appearance_count == 2
    assert StoryBand.objects.for_org(org).count() == 32


def test_an_article_whose_claim_was_lost_mid_batch_is_left_to_its_new_owner(
    org: Organisation, queries: None
) -> None:
    mine = _item(org, "mine", WIRE)
    lost = _item(org, "lost", WIRE.replace("Lyon", "Nantes"))
    Item.objects.for_org(org).filter(pk=lost.pk).update(
        payload={"content": WIRE, "content_is_full": False}
    )

    def pages(url: str) -> None:
        if url == lost.url:  # while its page is fetched, the lease runs out: another takes it
            Item.objects.for_org(org).filter(pk=lost.pk).update(claimed_by="other-worker")

    outcomes = pipeline.process_batch(org.pk, [mine.pk, lost.pk], pages)
    assert [o.item_id for o in outcomes] == [mine.pk]
    lost.refresh_from_db()
    assert lost.state == WorkState.CLAIMED and lost.story_id is None
    assert not Clipping.objects.for_org(org).filter(item=lost).exists()
    assert Clipping.objects.for_org(org).filter(item=mine).count() == 1


@pytest.mark.parametrize("path", ["together", "one by one"])
def test_it_takes_the_clustering_lock_before_writing_any_byline(
    org: Organisation, queries: None, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    # Two batches taking the organisation's clustering lock and a shared byline's row in
    # opposite orders would deadlock on PostgreSQL: every path takes the lock first.
    from pressdesk.monitoring import clustering

    seen: list[str] = []
    lock, link = clustering.serialise, bylines.link

    def locking(org_id: int) -> None:
        seen.append("lock")
        lock(org_id)

    def linking(item: Item) -> object:
        seen.append("byline")
        return link(item)

    monkeypatch.setattr(clustering, "serialise", locking)
    monkeypatch.setattr(bylines, "link", linking)
    if path == "one by one":

        def broken(org_id: int, articles: object) -> list[int]:
            raise RuntimeError("bulk write failed")

        monkeypatch.setattr(clustering, "assign_many", broken)
    items = [_item(org, "a", WIRE, author="AFP"), _item(org, "b", WIRE, author="AFP")]
    outcomes = pipeline.process_batch(org.pk, [i.pk for i in items], lambda url: None)
    assert [o.stage for o in outcomes] == [Stage.DONE] * 2
    assert "byline" in seen and seen.index("lock") < seen.index("byline")
