"""The demo's monitoring records: sources of every health, queries, clippings and a story."""

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
    assert all(i.stage == Stage.DONE for i in items)
    wire = items.filter(title__contains="toits solaires")
    assert wire.count() == 2 and len({i.story_id for i in wire}) == 1
    names = set(Clipping.objects.for_org(org).values_list("query__name", flat=True))
    assert names == {q[1] for q in demo.QUERIES}
    # The apple harvest mentions none of the queries.
    assert not Clipping.objects.for_org(org).filter(item__title__contains="pommes").exists()
    assert items.filter(author_contact__isnull=False).exists()
