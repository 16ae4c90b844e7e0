"""The demo's monitoring records: sources of every health, queries, clippings, a story, a
quarantined article and a byline suggestion."""

from __future__ import annotations

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import demo as contacts_demo
from pressdesk.monitoring import demo
from pressdesk.monitoring.models import Clipping, Health, Item, Source, Stage, WatchQuery


def test_it_loads_without_network(org: Organisation) -> None:
    contacts_demo.load(org)
    demo.load(org)
    assert set(Source.objects.for_org(org).values_list("health", flat=True)) == {
        Health.OK,
        Health.SILENT,
        Health.FAILING,
    }
    assert WatchQuery.objects.for_org(org).count() == len(demo.QUERIES)
    items = Item.objects.for_org(org)
    # Every article is processed but the garbled one, shown in the quarantine.
    assert [i.title for i in items.exclude(stage=Stage.DONE)] == [demo.GARBLED[0]]
    assert items.get(title=demo.GARBLED[0]).stage == Stage.QUARANTINED
    wire = items.filter(title__contains="toits solaires")
    assert wire.count() == 2 and len({i.story_id for i in wire}) == 1
    names = set(Clipping.objects.for_org(org).values_list("query__name", flat=True))
    assert names == {q[1] for q in demo.QUERIES}
    # The apple harvest mentions none of the queries.
    assert not Clipping.objects.for_org(org).filter(item__title__contains="pommes").exists()
    assert items.filter(author_contact__isnull=False).exists()
    # "E. Hartley" waits in the bylines, as maybe Emily Hartley of the press file.
    from pressdesk.monitoring import review

    byline = review.pending_bylines(org).get(name="E. Hartley")
    assert [str(c) for c in review.candidates(byline)] == ["Emily Hartley"]
