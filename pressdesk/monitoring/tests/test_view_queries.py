"""The query editor: list with triage counts, create and edit, live preview with syntax errors."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Clipping, Verdict, WatchQuery
from pressdesk.monitoring.tests.support import article

URL = "/o/acme/monitoring/queries/"


def test_it_lists_queries_with_relevant_and_irrelevant_counts(
    as_vera: Client, org: Organisation
) -> None:
    watch.save(org, "Acme", "acme", group="Organisation")
    article(org, "Acme opens a plant", "<p>Acme opened a plant.</p>")
    article(org, "Acme again", "<p>Acme again.</p>")
    Clipping.objects.for_org(org).filter(item__title="Acme again").update(
        verdict=Verdict.IRRELEVANT
    )
    r = as_vera.get(URL)
    row = r.context["queries"][0]
    assert (row.total, row.relevant, row.irrelevant) == (2, 0, 1)
    assert "New query" not in r.content.decode()


def test_it_creates_a_query_with_aliases(as_bob: Client, org: Organisation) -> None:
    r = as_bob.post(
        f"{URL}new/",
        {
            "name": "CEO",
            "group": "People",
            "expression": '"Marie Dupont"',
            "aliases": "Mme Dupont\n",
        },
    )
    assert r.status_code == 302
    query = WatchQuery.objects.for_org(org).get()
    assert query.aliases == ["Mme Dupont"] and query.group is not None


def test_it_shows_a_syntax_error_with_its_position_and_saves_nothing(
    as_bob: Client, org: Organisation
) -> None:
    r = as_bob.post(f"{URL}new/", {"name": "Bad", "expression": "acme AND (usine"})
    assert r.status_code == 400
    assert "Syntax error at character 10" in r.content.decode()
    assert not WatchQuery.objects.for_org(org).exists()


def test_it_edits_a_query(as_bob: Client, org: Organisation) -> None:
    query = watch.save(org, "Acme", "acme")
    r = as_bob.post(f"{URL}{query.pk}/", {"name": "Acme", "expression": "acme NOT fruit"})
    assert r.status_code == 302
    query.refresh_from_db()
    assert query.expression == "acme NOT fruit"


def test_it_previews_a_draft_on_the_archive(as_vera: Client, org: Organisation) -> None:
    article(org, "Acme opens a plant", "<p>Acme opened a plant in Lyon.</p>")
    article(org, "Oranges", "<p>Orange harvest down.</p>")
    r = as_vera.post(f"{URL}preview/", {"expression": "acme AND lyon"})
    assert [h.item.title for h in r.context["hits"]] == ["Acme opens a plant"]
    assert "<mark" in r.content.decode()


def test_it_previews_a_syntax_error_at_its_place(as_vera: Client, org: Organisation) -> None:
    r = as_vera.post(f"{URL}preview/", {"expression": 'acme "open'})
    page = r.content.decode()
    assert r.context["error"] and 'acme <mark class="error-at">' in page


def test_it_lets_no_viewer_edit(as_vera: Client, org: Organisation) -> None:
    assert as_vera.get(f"{URL}new/").status_code == 403


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    query = watch.save(org, "Acme", "acme")
    assert as_charlie.get(URL).status_code == 404
    assert as_charlie.get(f"{URL}{query.pk}/").status_code == 404
    assert as_charlie.post(f"{URL}preview/", {"expression": "acme"}).status_code == 404
