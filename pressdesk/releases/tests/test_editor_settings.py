from __future__ import annotations

from django.test import Client

from pressdesk.accounts.models import Organisation, User
from pressdesk.releases.models import Boilerplate, ReviewStep

URL = "/o/acme/releases/settings/"


def test_it_sets_the_review_chain(as_alice: Client, org: Organisation, bob: User) -> None:
    r = as_alice.post(
        URL,
        {
            "part": "chain",
            "label": ["Service presse", "Juridique", "Direction", ""],
            "reviewer": [str(bob.pk), "", "", ""],
        },
    )
    assert r.status_code == 302
    steps = list(ReviewStep.objects.for_org(org).order_by("position"))
    assert [s.label for s in steps] == ["Service presse", "Juridique", "Direction"]
    assert steps[0].reviewer_id == bob.pk


def test_it_refuses_a_reviewer_from_elsewhere(
    as_alice: Client, org: Organisation, charlie: User
) -> None:
    as_alice.post(URL, {"part": "chain", "label": ["X"], "reviewer": [str(charlie.pk)]})
    assert not ReviewStep.objects.for_org(org).exists()


def test_it_saves_a_boilerplate(as_alice: Client, org: Organisation) -> None:
    as_alice.post(URL, {"part": "en", "en-about": "Acme makes energy.", "en-contact": "Jo\n01"})
    row = Boilerplate.objects.for_org(org).get(language="en")
    assert row.text_html == "<p>Acme makes energy.</p>\n"
    assert "Jo<br>" in row.contact_block_html


def test_it_is_for_directors(as_bob: Client) -> None:
    assert as_bob.get(URL).status_code == 403
    assert as_bob.post(URL, {"part": "chain", "label": ["X"], "reviewer": [""]}).status_code == 403


def test_an_outsider_gets_404(as_charlie: Client) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_rejects_put(as_alice: Client) -> None:
    assert as_alice.put(URL).status_code == 405
