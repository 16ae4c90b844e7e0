"""The merge page: two records side by side, a choice per field, a preview, then the merge."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import duplicates
from pressdesk.contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    FieldChange,
    MergeSuggestion,
    Outlet,
    Position,
)

URL = "/o/acme/contacts/duplicates/"


def person(org: Organisation, first: str, last: str, *emails: str, **kw: object) -> Contact:
    contact = Contact.objects.create(org=org, first_name=first, last_name=last, **kw)  # type: ignore[arg-type]
    for n, email in enumerate(emails):
        ContactEmail.objects.create(
            contact=contact, org=org, email=email, email_normalised=email, is_primary=n == 0
        )
    return contact


@pytest.fixture
def twins(org: Organisation) -> tuple[Contact, Contact, MergeSuggestion]:
    """Élodie entered by hand two years ago, and again from a file with another title."""
    older = person(
        org,
        "Élodie",
        "Carré",
        "elodie.carre@ouest-france.example.fr",
        job_title="Journaliste",
        country="FR",
        source_label="Annuaire 2024",
        created=timezone.now() - timedelta(days=700),
    )
    newer = person(
        org,
        "Elodie",
        "Carré",
        "elodie.carre@gmail.example.com",
        "ecarre@old.example.fr",
        job_title="Rédactrice en chef",
        country="BE",
        region="Bretagne",
        source_kind="import",
        source_label="fichier-presse.xlsx",
    )
    ContactPhone.objects.create(contact=older, raw="01 99 00 00 02", e164="+33199000002")
    ContactPhone.objects.create(contact=newer, raw="06 39 98 04 10", e164="+33639980410")
    outlet = Outlet.objects.create(org=org, name="Ouest-France", name_normalised="ouest-france")
    Position.objects.create(contact=newer, outlet=outlet, title="Rédactrice en chef")
    suggestion = MergeSuggestion.objects.create(
        org=org, contact_a=older, contact_b=newer, score=95, reason="similar name"
    )
    return older, newer, suggestion


def choices(older: Contact, newer: Contact, step: str, **chosen: object) -> dict[str, object]:
    older.refresh_from_db()
    newer.refresh_from_db()
    return {"step": step, "version": duplicates.version(older, newer), **chosen}


@pytest.mark.django_db
def test_it_shows_the_two_records_side_by_side(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    r = as_bob.get(f"{URL}{suggestion.pk}/merge/")
    assert r.status_code == 200
    page = r.content.decode()
    # A choice where both have a value and differ; in words (countries by name).
    assert f'name="job_title" value="{older.pk}"' in page
    assert f'name="job_title" value="{newer.pk}"' in page
    assert "France" in page and "Belgium" in page
    assert 'name="first_name"' in page  # "Élodie" and "Elodie" differ
    assert 'name="region"' not in page  # only one of them has one: nothing to choose
    # Every address and number of both, ticked.
    for email in ContactEmail.objects.all():
        assert f'value="{email.pk}" id=' in page or f'value="{email.pk}"' in page
        assert email.email in page
    assert "01 99 00 00 02" in page and "06 39 98 04 10" in page
    assert page.count("checked") >= 6
    assert "confirm(" not in page and "data-confirm" not in page
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_the_preview_shows_the_result_and_changes_nothing(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    kept = ContactEmail.objects.filter(
        email__in=["elodie.carre@ouest-france.example.fr", "elodie.carre@gmail.example.com"]
    )
    data = choices(
        older,
        newer,
        "preview",
        first_name=older.pk,
        last_name=older.pk,
        job_title=newer.pk,
        country=older.pk,
        emails=[e.pk for e in kept],
        phones=[p.pk for p in ContactPhone.objects.all()],
    )
    r = as_bob.post(f"{URL}{suggestion.pk}/merge/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "Preview of the merged contact" in page
    assert "Rédactrice en chef" in page and "Bretagne" in page and "Ouest-France" in page
    assert "ecarre@old.example.fr" in page.split("Not kept:")[1]
    # The choices travel with the confirm button.
    assert f'name="job_title" value="{newer.pk}"' in page
    assert 'name="step" value="confirm"' in page
    assert Contact.objects.count() == 2
    older.refresh_from_db()
    assert older.job_title == "Journaliste" and ContactEmail.objects.count() == 3


@pytest.mark.django_db
def test_confirming_merges_with_the_chosen_values(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    dropped = ContactEmail.objects.get(email="ecarre@old.example.fr")
    mobile = ContactPhone.objects.get(e164="+33639980410")
    data = choices(
        older,
        newer,
        "confirm",
        first_name=older.pk,
        last_name=older.pk,
        job_title=newer.pk,
        country=older.pk,
        emails=[e.pk for e in ContactEmail.objects.exclude(pk=dropped.pk)],
        phones=[mobile.pk],
    )
    r = as_bob.post(f"{URL}{suggestion.pk}/merge/", data)
    assert r.status_code == 302 and r["Location"] == URL
    kept = Contact.objects.get()
    assert kept.pk == older.pk
    assert (kept.first_name, kept.job_title, kept.country, kept.region) == (
        "Élodie",
        "Rédactrice en chef",
        "FR",
        "Bretagne",
    )
    assert sorted(kept.emails.values_list("email", flat=True)) == [
        "elodie.carre@gmail.example.com",
        "elodie.carre@ouest-france.example.fr",
    ]
    assert kept.emails.get(is_primary=True).email == "elodie.carre@ouest-france.example.fr"
    assert list(kept.phones.values_list("e164", flat=True)) == ["+33639980410"]
    assert kept.positions.get().outlet.name == "Ouest-France"
    title = FieldChange.objects.get(contact=kept, field="job_title", source_kind="merge")
    assert (title.old_value, title.new_value) == ("Journaliste", "Rédactrice en chef")
    assert title.source_label == "Elodie Carré"
    phones = FieldChange.objects.get(contact=kept, field="phones")
    assert (phones.old_value, phones.new_value) == ("+33199000002", "+33639980410")
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.actor.email == "bob@example.org"
    assert entry.data["chosen"] == ["job_title"] and entry.data["emails_dropped"] == 1
    assert "Elodie Carré" in kept.search_text or "elodie" in kept.search_text


@pytest.mark.django_db
def test_the_history_tells_the_merge_in_words(
    as_bob: Client, bob: User, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    bob.language = "fr"
    bob.save()
    as_bob.post(f"{URL}{suggestion.pk}/merge/", choices(older, newer, "confirm"))
    page = as_bob.get(f"/o/acme/contacts/{older.pk}/").content.decode()
    history = page.split('id="history-title"')[1]
    assert "<strong>Fusionné avec Elodie Carré</strong>" in history
    assert "— fichier-presse.xlsx, intérêt légitime, fiche créée le" in history
    assert f"#{newer.pk}" not in history and f"n° {newer.pk}" not in history
    assert "((" not in history and "))" not in history
    assert "Merged" not in history and "merged" not in history


@pytest.mark.django_db
def test_htmx_gets_the_result_as_choices_change(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    data = choices(older, newer, "live", job_title=newer.pk)
    r = as_bob.post(f"{URL}{suggestion.pk}/merge/", data, HTTP_HX_REQUEST="true")
    page = r.content.decode()
    assert r.status_code == 200 and "<html" not in page
    assert "Rédactrice en chef" in page and "Journaliste" not in page
    stale = {**data, "version": "old"}
    page = as_bob.post(f"{URL}{suggestion.pk}/merge/", stale).content.decode()
    assert "cannot be previewed" in page
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_going_back_keeps_the_choices(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    data = choices(older, newer, "back", first_name=older.pk, job_title=newer.pk)
    data |= {"last_name": older.pk, "country": newer.pk}
    r = as_bob.post(f"{URL}{suggestion.pk}/merge/", data)
    assert r.status_code == 200
    page = r.content.decode()
    radio = re.search(rf'<input type="radio" name="job_title" value="{newer.pk}"[^>]*>', page)
    assert radio is not None and "checked" in radio.group(0)
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_a_record_changed_since_the_page_was_opened_is_not_merged(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    data = choices(older, newer, "confirm", job_title=newer.pk)
    newer.job_title = "Cheffe d’édition"
    newer.save()
    r = as_bob.post(f"{URL}{suggestion.pk}/merge/", data)
    assert r.status_code == 400
    assert "changed since this page was opened" in r.content.decode()
    assert "Cheffe d’édition" in r.content.decode()
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_a_choice_outside_the_two_records_is_refused(
    as_bob: Client, org: Organisation, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    stranger = person(org, "Paul", "Martin", "paul@example.org", job_title="Pigiste")
    foreign = ContactEmail.objects.get(email="paul@example.org")
    for wrong in ({"job_title": stranger.pk}, {"emails": [foreign.pk]}):
        r = as_bob.post(f"{URL}{suggestion.pk}/merge/", choices(older, newer, "confirm", **wrong))
        assert r.status_code == 400
    assert Contact.objects.count() == 3 and stranger.emails.count() == 1


@pytest.mark.django_db
def test_it_requires_the_edit_permission(
    as_vera: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    assert as_vera.get(f"{URL}{suggestion.pk}/merge/").status_code == 403
    r = as_vera.post(f"{URL}{suggestion.pk}/merge/", choices(older, newer, "confirm"))
    assert r.status_code == 403
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_outsiders_get_404(
    as_charlie: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    data = choices(older, newer, "confirm")
    assert as_charlie.get(f"{URL}{suggestion.pk}/merge/").status_code == 404
    assert as_charlie.post(f"{URL}{suggestion.pk}/merge/", data).status_code == 404
    other = "/o/other/contacts/duplicates/"
    assert as_charlie.post(f"{other}{suggestion.pk}/merge/", data).status_code == 404
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_another_organisations_pair_is_not_found(as_bob: Client, other_org: Organisation) -> None:
    a, b = person(other_org, "X", "Y"), person(other_org, "X", "Y")
    theirs = MergeSuggestion.objects.create(
        org=other_org, contact_a=a, contact_b=b, score=100, reason="x"
    )
    assert as_bob.get(f"{URL}{theirs.pk}/merge/").status_code == 404
    r = as_bob.post(f"{URL}{theirs.pk}/merge/", choices(a, b, "confirm"))
    assert r.status_code == 404
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_it_refuses_other_methods_and_dismissed_pairs(
    as_bob: Client, twins: tuple[Contact, Contact, MergeSuggestion]
) -> None:
    older, newer, suggestion = twins
    assert as_bob.put(f"{URL}{suggestion.pk}/merge/").status_code == 405
    assert as_bob.delete(f"{URL}{suggestion.pk}/merge/").status_code == 405
    suggestion.status = MergeSuggestion.DISMISSED
    suggestion.save()
    assert as_bob.get(f"{URL}{suggestion.pk}/merge/").status_code == 404
    assert (
        as_bob.post(f"{URL}{suggestion.pk}/merge/", choices(older, newer, "confirm")).status_code
        == 404
    )
    assert Contact.objects.count() == 2
