"""The press file's card on the organisation's dashboard (/o/<org>/)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from pressdesk import modules
from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts import dashboard, services
from pressdesk.contacts.models import ImportJob, MergeSuggestion
from pressdesk.contacts.tests import sample

URL = "/o/acme/"


def press_file(org: Organisation, other_org: Organisation, alice: User) -> None:
    """Three contacts (one added four years ago, never contacted since), two outlets, an
    opt-out, a duplicate pair waiting and an import, in Acme; and a contact elsewhere."""
    paper = sample.outlet(org, "Ouest-France")
    sample.outlet(org, "Le Monde")
    a = sample.contact(org, "Marie", "Dupont", at=paper)
    b = sample.contact(org, "Marie", "Dupond")
    old = sample.contact(org, "Jean", "Ancien")
    old.created = timezone.now() - timedelta(days=4 * 365)
    old.save(update_fields=["created"])
    services.opt_out(org, "parti@example.org", "objection")
    MergeSuggestion.objects.create(org=org, contact_a=a, contact_b=b, score=90, reason="name")
    ImportJob.objects.create(
        org=org,
        filename="journalistes-2026.csv",
        file_format="csv",
        status=ImportJob.DONE,
        counts={"created": 2, "updated": 1},
        created_by=alice,
    )
    sample.contact(other_org, "Secret", "Ailleurs")


def figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>(?:<a [^>]*>)?([\d\u202f\xa0,]+)", html)
    assert found, f"no figure for {label}"
    return found[1]


def test_it_works(
    as_alice: Client, alice: User, org: Organisation, other_org: Organisation
) -> None:
    press_file(org, other_org, alice)
    r = as_alice.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert figure(html, "Contacts") == "3"  # not the other organisation's
    assert figure(html, "Outlets") == "2"
    assert figure(html, "Opt-outs") == "1"
    assert figure(html, "Duplicates waiting") == "1"
    assert "1 contact reached three years without contact." in html
    assert "journalistes-2026.csv" in html
    assert "2 added, 1 updated" in html
    assert "Secret" not in html


def test_it_draws_additions_as_an_inline_chart(
    as_alice: Client, alice: User, org: Organisation, other_org: Organisation
) -> None:
    press_file(org, other_org, alice)
    html = as_alice.get(URL).content.decode()
    svg = re.search(r"<svg [^>]*aria-labelledby=\"additions-title\".*?</svg>", html, re.S)
    assert svg, "no inline SVG chart"
    bars = re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg[0])
    assert len(bars) == dashboard.MONTHS
    # This month has the two recent additions (the old one is outside the 12 months): the
    # tallest bar, the last one; the others are empty.
    assert float(bars[-1][1]) == dashboard.CHART_HEIGHT
    assert all(float(height) == 0 for _y, height in bars[:-1])
    assert "2 contacts added over the last 12 months" in html
    assert "<script" not in svg[0]


def test_it_counts_additions_per_month_in_the_orgs_time_zone(org: Organisation) -> None:
    now = timezone.now()
    sample.contact(org, "A", "Un")
    month_ago = sample.contact(org, "B", "Deux")
    month_ago.created = now - timedelta(days=40)
    month_ago.save(update_fields=["created"])
    bars = dashboard.additions(org, now=now)
    assert [b.count for b in bars][-3:] in ([0, 1, 1], [1, 0, 1])
    assert sum(b.count for b in bars) == 2


def test_it_says_when_retention_falls_due_soon(org: Organisation) -> None:
    soon = sample.contact(org, "Bientôt", "Échu")
    soon.created = timezone.now() - timedelta(days=3 * 365 - 30)
    soon.save(update_fields=["created"])
    assert dashboard.retention_due(org) == (0, 1)


def test_a_viewer_sees_the_figures_without_the_edit_pages(
    as_vera: Client, alice: User, org: Organisation, other_org: Organisation
) -> None:
    press_file(org, other_org, alice)
    r = as_vera.get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert figure(html, "Contacts") == "3"
    assert "journalistes-2026.csv" in html
    for page in ("/o/acme/contacts/duplicates/", "/o/acme/contacts/gdpr/", "/import/"):
        assert page not in html


def test_a_press_officer_gets_the_links(
    as_bob: Client, alice: User, org: Organisation, other_org: Organisation
) -> None:
    press_file(org, other_org, alice)
    html = as_bob.get(URL).content.decode()
    assert 'href="/o/acme/contacts/duplicates/"' in html
    assert 'href="/o/acme/contacts/gdpr/retention/"' in html
    job = ImportJob.objects.get(org=org)
    assert f'href="/o/acme/contacts/import/{job.pk}/"' in html


def test_it_shows_an_empty_press_file_honestly(as_alice: Client) -> None:
    html = as_alice.get(URL).content.decode()
    assert figure(html, "Contacts") == "0"
    assert "No import yet." in html
    assert "0 contacts added over the last 12 months" in html


def test_modules_to_come_get_one_line_each(as_alice: Client) -> None:
    html = as_alice.get(URL).content.decode()
    coming = re.search(r'<section class="coming-modules".*?</section>', html, re.S)
    assert coming
    assert coming[0].count("<li>") == len(modules.coming())
    assert 'href="/o/acme/coming/events/"' in coming[0]
    # No placeholder cards: every card belongs to a built module, none to a module to come.
    cards = set(re.findall(r'aria-labelledby="glance-([a-z]+)"', html))
    assert "contacts" in cards
    assert cards <= {m.key for m in modules.registered()}
    assert not cards & {m.key for m in modules.coming()}


def test_it_checks_ownership(as_charlie: Client, org: Organisation) -> None:
    assert as_charlie.get(URL).status_code == 404


def test_it_speaks_french(as_alice: Client, alice: User) -> None:
    alice.language = "fr"
    alice.save(update_fields=["language"])
    html = as_alice.get(URL).content.decode()
    assert "Le fichier presse" in html
    assert "Doublons en attente" in html
    assert "Prochainement" in html
    assert "0 contact ajouté ces 12 derniers mois" in html
