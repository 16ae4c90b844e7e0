"""The clippings inbox per query group, and triage: verdict, tone, tags, note, assignee."""

from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.monitoring import watch
from pressdesk.monitoring.models import Clipping, Tone, ToneMethod, Verdict
from pressdesk.monitoring.tests.support import article

URL = "/o/acme/monitoring/"


def _clipped(org: Organisation) -> Clipping:
    watch.save(org, "CEO", '"Marie Dupont"', aliases=["Mme Dupont"], group="People")
    watch.save(org, "Acme", "acme", group="Organisation")
    article(
        org,
        "Acme opens a plant",
        "<p>Acme opened a plant; Marie Dupont, its chief executive, was there.</p>",
    )
    return Clipping.objects.for_org(org).get(query__name="CEO")


def test_it_shows_clippings_with_highlighted_passages(as_vera: Client, org: Organisation) -> None:
    _clipped(org)
    r = as_vera.get(URL)
    page = r.content.decode()
    assert r.context["page"].paginator.count == 2
    assert '<mark title="Marie Dupont">Marie Dupont</mark>' in page
    assert "Relevant" not in page.split("<ol")[1]  # a viewer has no triage buttons


def test_it_filters_by_query_group(as_vera: Client, org: Organisation) -> None:
    clipping = _clipped(org)
    assert clipping.query.group is not None
    r = as_vera.get(URL, {"group": clipping.query.group.pk})
    assert [c.query.name for c in r.context["page"]] == ["CEO"]


def test_it_triages_a_clipping(as_bob: Client, bob: User, alice: User, org: Organisation) -> None:
    clipping = _clipped(org)
    r = as_bob.post(
        f"{URL}clippings/{clipping.pk}/",
        {
            "verdict": "relevant",
            "tone": "positive",
            "tags": "usine, Lyon, usine",
            "note": "Good",
            "assignee": str(alice.pk),
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and 'id="clipping-' in r.content.decode()
    clipping.refresh_from_db()
    assert clipping.verdict == Verdict.RELEVANT
    assert (clipping.tone, clipping.tone_method) == (Tone.POSITIVE, ToneMethod.MANUAL)
    assert clipping.tags == ["usine", "Lyon"] and clipping.note == "Good"
    assert clipping.assignee == alice
    # Triaged clippings leave the "to triage" view.
    assert as_bob.get(URL).context["page"].paginator.count == 1


def test_it_refuses_an_assignee_from_another_organisation(
    as_bob: Client, charlie: User, org: Organisation
) -> None:
    clipping = _clipped(org)
    as_bob.post(f"{URL}clippings/{clipping.pk}/", {"assignee": str(charlie.pk)})
    clipping.refresh_from_db()
    assert clipping.assignee is None


def test_it_lets_no_viewer_triage(as_vera: Client, org: Organisation) -> None:
    clipping = _clipped(org)
    assert (
        as_vera.post(f"{URL}clippings/{clipping.pk}/", {"verdict": "relevant"}).status_code == 403
    )


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    clipping = _clipped(org)
    assert as_charlie.get(URL).status_code == 404
    r = as_charlie.post(f"{URL}clippings/{clipping.pk}/", {"verdict": "irrelevant"})
    assert r.status_code == 404
    clipping.refresh_from_db()
    assert clipping.verdict == Verdict.UNREAD
