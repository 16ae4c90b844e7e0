"""The contact list narrowed to one import: "See the contacts" after an import lands there."""

from __future__ import annotations

import pytest
from django.test import Client

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import editing
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.models import Contact, ImportJob

URL = "/o/acme/contacts/"
FILE = "Prénom;Nom;Email\nAnne;Roux;anne@example.org\nLéa;Morel;lea@example.org\n".encode()


def imported(org: Organisation, data: bytes = FILE) -> ImportJob:
    job = ImportJob.objects.create(org=org, filename="salon-2026.csv", file_format="csv")
    run_import(org, data, job.filename, ImportOptions(job_id=job.pk))
    return job


@pytest.fixture
def job(org: Organisation) -> ImportJob:
    editing.save_contact(org, None, {"first_name": "Paul", "last_name": "Vidal"}, by=None)
    editing.save_contact(org, None, {"first_name": "Anne", "last_name": "Roux"}, by=None)
    return imported(org)


@pytest.mark.django_db
def test_it_shows_only_the_contacts_of_the_import(as_vera: Client, job: ImportJob) -> None:
    page = as_vera.get(f"{URL}?imported={job.pk}").content.decode()
    assert "2 contacts" in page
    assert "Léa Morel" in page and "Paul Vidal" not in page
    # A chip names the import, and removing it shows the whole press file again.
    assert "Imported from salon-2026.csv" in page
    assert f'<input type="hidden" name="imported" value="{job.pk}" form="filters">' in page
    assert f'href="{URL}?"' in page
    assert "4 contacts" in as_vera.get(URL).content.decode()


@pytest.mark.django_db
def test_it_combines_with_other_filters(as_vera: Client, job: ImportJob) -> None:
    page = as_vera.get(f"{URL}?imported={job.pk}&q=morel&sort=name").content.decode()
    assert "1 contact" in page and "Léa Morel" in page
    # Removing the chip keeps the other filters.
    assert f'href="{URL}?q=morel&amp;sort=name"' in page


@pytest.mark.django_db
def test_an_update_counts_as_a_contact_of_the_import(
    as_vera: Client, org: Organisation, job: ImportJob
) -> None:
    again = imported(
        org, "Prénom;Nom;Email;Fonction\nAnne;Roux;anne@example.org;Pigiste\n".encode()
    )
    page = as_vera.get(f"{URL}?imported={again.pk}").content.decode()
    assert "1 contact" in page and "Anne Roux" in page and "Léa Morel" not in page


@pytest.mark.django_db
def test_another_organisations_import_shows_nothing(
    as_vera: Client, org: Organisation, other_org: Organisation, job: ImportJob
) -> None:
    theirs = imported(other_org)
    page = as_vera.get(f"{URL}?imported={theirs.pk}").content.decode()
    assert "0 contacts" in page and "salon-2026.csv" not in page
    assert Contact.objects.filter(org=other_org).count() == 2
