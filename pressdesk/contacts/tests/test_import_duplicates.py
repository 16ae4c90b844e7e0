"""After every import (wizard, worker, CLI) the imported contacts are checked for duplicates."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import demo, editing
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact, ImportJob, MergeSuggestion

BASE = "/o/acme/contacts/import/"
# Jean-Luc Martin is on file at Ouest-France with one address. The file updates a contact found
# by address (the planner sees no new person) and moves him to Ouest-France, where a similar
# name already works: only a scan after the import finds that pair.
FILE = (
    "Prénom;Nom;Média;Email\n"
    "Jean Luc;Martin;Ouest-France;jeanluc.martin@gmail.example.com\n"
    "Anne;Roux;Le Monde;anne.roux@lemonde.example.fr\n"
).encode()


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def press_file(org: Organisation) -> tuple[Contact, Contact]:
    """Jean-Luc at Ouest-France, the same man under his personal address, and an unrelated
    pair of duplicates nobody imported."""
    on_file = editing.save_contact(
        org,
        None,
        {
            "first_name": "Jean-Luc",
            "last_name": "Martin",
            "emails": ["jl.martin@ouest-france.example.fr"],
            "outlet": "Ouest-France",
        },
        by=None,
    )
    personal = editing.save_contact(
        org,
        None,
        {"first_name": "J.", "last_name": "Martin", "emails": ["jeanluc.martin@gmail.example.com"]},
        by=None,
    )
    for _n in range(2):
        editing.save_contact(
            org,
            None,
            {"first_name": "Paul", "last_name": "Vidal", "emails": ["p.vidal@afp.example.fr"]},
            by=None,
        )
    return on_file, personal


def pairs() -> set[tuple[str, str]]:
    return {
        tuple(sorted((str(s.contact_a), str(s.contact_b))))  # type: ignore[misc]
        for s in MergeSuggestion.objects.select_related("contact_a", "contact_b")
    }


@pytest.mark.django_db
def test_an_import_finds_the_duplicates_it_brings(
    org: Organisation, press_file: tuple[Contact, Contact]
) -> None:
    result = run_import(org, FILE, "presse.csv", ImportOptions())
    assert result.counts["updated"] == 1 and result.counts["created"] == 1
    assert pairs() == {("Jean Luc Martin", "Jean-Luc Martin")}
    assert result.counts["suggestions"] == 1
    # Only the imported contacts were looked at: the Vidal pair waits for a full scan.
    assert len(result.contact_ids) == 2


@pytest.mark.django_db
def test_a_dry_run_or_a_rolled_back_import_suggests_nothing(
    org: Organisation, press_file: tuple[Contact, Contact]
) -> None:
    run_import(org, FILE, "presse.csv", ImportOptions(dry_run=True))
    bad = FILE + b"Marie;Dupont;Le Monde;marie@\n"
    result = run_import(org, bad, "presse.csv", ImportOptions(all_or_nothing=True))
    assert result.rolled_back and result.contact_ids == []
    assert not MergeSuggestion.objects.exists()


@pytest.mark.django_db
def test_the_cli_import_finds_them(
    org: Organisation, press_file: tuple[Contact, Contact], tmp_path: Path
) -> None:
    path = tmp_path / "presse.csv"
    path.write_bytes(FILE)
    call_command("contacts", "import", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert pairs() == {("Jean Luc Martin", "Jean-Luc Martin")}


@pytest.mark.django_db
def test_the_wizard_finds_them_and_remembers_its_contacts(
    as_bob: Client, org: Organisation, press_file: tuple[Contact, Contact]
) -> None:
    upload = SimpleUploadedFile("presse.csv", FILE)
    as_bob.post(BASE, {"file": upload, "mode": "skip"})
    job = ImportJob.objects.get()
    assert not MergeSuggestion.objects.exists()  # the dry run writes nothing
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    assert pairs() == {("Jean Luc Martin", "Jean-Luc Martin")}
    assert sorted(str(c) for c in job.contacts.all()) == ["Anne Roux", "Jean Luc Martin"]
    page = as_bob.get(f"{BASE}{job.pk}/").content.decode()
    assert f'href="/o/acme/contacts/?imported={job.pk}"' in page
    assert 'href="/o/acme/contacts/duplicates/"' in page


def test_the_worker_finds_them(
    flushable_db: None,
    as_bob: Client,
    org: Organisation,
    press_file: tuple[Contact, Contact],
    settings: Settings,
) -> None:
    settings.CONTACTS_IMPORT_SYNC_BYTES = 10
    as_bob.post(BASE, {"file": SimpleUploadedFile("presse.csv", FILE), "mode": "skip"})
    call_command("worker", "--until-idle", stdout=io.StringIO(), stderr=io.StringIO())
    job = ImportJob.objects.get()
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    call_command("worker", "--until-idle", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.DONE and job.contacts.count() == 2
    assert pairs() == {("Jean Luc Martin", "Jean-Luc Martin")}


@pytest.mark.django_db
def test_the_demo_comes_with_its_duplicates_found(as_alice: Client, org: Organisation) -> None:
    demo.load(org)
    found = MergeSuggestion.objects.filter(org=org, status=MergeSuggestion.PENDING)
    # Two pairs of the same journalist entered twice, and nothing else.
    assert found.count() == 2
    assert all(str(s.contact_a) == str(s.contact_b) for s in found)
    page = as_alice.get("/o/acme/contacts/duplicates/").content.decode()
    assert page.count("Compare and merge") == 2
