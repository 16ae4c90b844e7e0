"""The pitch board: columns, moves without JS and with htmx, ideas' pages, comments, drafts."""

from __future__ import annotations

from io import BytesIO

from django.test import Client
from pypdf import PdfReader

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import Beat
from pressdesk.contacts.tests import sample
from pressdesk.releases.models import IdeaState, Release, StoryIdea
from pressdesk.releases.tests import kits_sample as s

BASE = "/o/acme/releases/ideas/"


def test_it_shows_five_columns(as_vera: Client, org: Organisation) -> None:
    s.idea(org, "Portrait d’une apprentie", state=IdeaState.PITCHED)
    body = as_vera.get(BASE).content.decode()
    for label in ("Idea", "In preparation", "Pitched", "Published", "Dropped"):
        assert f"<span>{label}</span>" in body
    assert "Portrait d’une apprentie" in body
    assert "New idea" not in body and 'name="state"' not in body


def test_it_creates_an_idea_with_targets_and_beats(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    sample.outlet(org, "La Nouvelle République")
    beat = Beat.objects.create(org=org, name="Industrie")
    member = org.memberships.get(user=bob)
    r = as_bob.post(
        BASE + "new/",
        {
            "title": "Les 120 emplois de Tours",
            "angle": "L’industrie revient en ville",
            "owner": member.pk,
            "outlets": "la nouvelle republique, Le Monde",
            "target_media": "radios locales",
            "beats": [beat.pk],
        },
    )
    idea = StoryIdea.objects.get(org=org)
    assert r["Location"] == f"{BASE}{idea.pk}/"
    assert [o.name for o in idea.target_outlets.all()] == ["La Nouvelle République"]
    assert idea.target_media == "Le Monde, radios locales"
    assert list(idea.beats.all()) == [beat]
    assert idea.owner == bob
    assert as_bob.get(f"{BASE}{idea.pk}/edit/").status_code == 200


def test_it_moves_an_idea_without_js(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org)
    r = as_bob.post(f"{BASE}{idea.pk}/move/", {"state": "preparing"})
    assert r["Location"] == BASE
    idea.refresh_from_db()
    assert idea.state == "preparing"
    body = as_bob.get(BASE).content.decode()
    assert "→ Pitched" in body and "→ Idea" in body


def test_it_moves_an_idea_with_htmx(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org)
    r = as_bob.post(
        f"{BASE}{idea.pk}/move/", {"state": "dropped"}, HTTP_HX_REQUEST="true", follow=True
    )
    assert 'id="board"' in r.content.decode()
    idea.refresh_from_db()
    assert idea.state == "dropped"


def test_it_refuses_an_unknown_state(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org)
    assert as_bob.post(f"{BASE}{idea.pk}/move/", {"state": "sold"}).status_code == 400


def test_it_keeps_internal_comments(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org)
    as_bob.post(f"{BASE}{idea.pk}/comments/", {"body": "Appeler France Bleu avant jeudi"})
    body = as_bob.get(f"{BASE}{idea.pk}/").content.decode()
    assert "Appeler France Bleu avant jeudi" in body


def test_it_turns_an_idea_into_a_release_draft(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org, angle="Une apprentie de 17 ans sur la ligne de soudure")
    r = as_bob.post(f"{BASE}{idea.pk}/draft/")
    release = Release.objects.get(org=org)
    assert r["Location"] == f"/o/acme/releases/{release.pk}/"
    assert release.idea == idea and list(idea.releases.all()) == [release]
    assert release.current_version is not None
    assert release.current_version.lead.startswith("Une apprentie")
    idea.refresh_from_db()
    assert idea.state == "preparing"
    assert release.title in as_bob.get(f"{BASE}{idea.pk}/").content.decode()


def test_it_summarises_current_ideas_as_a_page_and_a_pdf(as_bob: Client, org: Organisation) -> None:
    s.idea(org, "Portrait d’une apprentie")
    s.idea(org, "Vieille idée", state=IdeaState.DROPPED)
    body = as_bob.get(BASE + "summary/").content.decode()
    assert "Portrait d’une apprentie" in body and "Vieille idée" not in body
    r = as_bob.post(BASE + "summary/pdf/")
    assert r["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(r.content)).pages[0].extract_text()
    assert "Portrait d’une apprentie" in text
    assert len(PdfReader(BytesIO(r.content)).pages) == 1
    assert AuditEntry.objects.filter(action="ideas.export", org=org).count() == 1


def test_a_viewer_reads_but_cannot_change(as_vera: Client, org: Organisation) -> None:
    idea = s.idea(org)
    assert as_vera.get(f"{BASE}{idea.pk}/").status_code == 200
    assert as_vera.get(BASE + "summary/").status_code == 200
    for url in ("move/", "comments/", "draft/"):
        assert as_vera.post(f"{BASE}{idea.pk}/{url}", {"state": "dropped"}).status_code == 403
    assert as_vera.post(BASE + "summary/pdf/").status_code == 403
    assert as_vera.get(BASE + "new/").status_code == 403
    idea.refresh_from_db()
    assert idea.state == "idea" and not Release.objects.exists()


def test_it_checks_the_organisation(as_charlie: Client, org: Organisation) -> None:
    idea = s.idea(org)
    assert as_charlie.get(f"{BASE}{idea.pk}/").status_code == 404
    assert as_charlie.post(f"/o/{'acme'}/releases/ideas/{idea.pk}/draft/").status_code == 404


def test_it_rejects_wrong_methods(as_bob: Client, org: Organisation) -> None:
    idea = s.idea(org)
    assert as_bob.get(f"{BASE}{idea.pk}/move/").status_code == 405
    assert as_bob.get(BASE + "summary/pdf/").status_code == 405
