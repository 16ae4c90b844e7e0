"""Desk addresses shared by several journalists: one address, several people, no silent merge."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from pressdesk.accounts.models import Organisation
from pressdesk.contacts import suggestions
from pressdesk.contacts.importing import ImportOptions, run_import
from pressdesk.contacts.importing.planning import same_person
from pressdesk.contacts.models import Contact, ContactEmail, MergeSuggestion
from pressdesk.lib.text import normalise

HEADER = "Prénom;Nom;Média;Email;Téléphone;Rubrique\n"
DESK = "redaction@ouest-france.example"


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def run(org: Organisation, data: bytes, **options: object) -> object:
    return run_import(org, data, "presse.csv", ImportOptions(**options))  # type: ignore[arg-type]


def owners(address: str) -> list[tuple[str, str]]:
    return sorted(
        ContactEmail.objects.filter(email_normalised=address).values_list(
            "contact__first_name", "contact__last_name"
        )
    )


@pytest.mark.django_db
def test_two_people_on_one_desk_address_in_one_file_are_two_contacts(org: Organisation) -> None:
    result = run(
        org,
        csv(
            f"Marie;Dupont;Ouest-France;{DESK};;Politique",
            f"Paul;Martin;Ouest-France;{DESK.upper()};;Sport",
            # Paul again: he is found on the shared address, not folded into Marie.
            f"Paul;Martin;Ouest-France;{DESK};02 99 32 60 00;",
        ),
    )
    assert (result.counts["created"], result.counts["merged"]) == (2, 1)
    assert result.counts["suggestions"] == 1
    assert owners(DESK) == [("Marie", "Dupont"), ("Paul", "Martin")]
    marie, paul = Contact.objects.get(first_name="Marie"), Contact.objects.get(first_name="Paul")
    assert [b.name for b in marie.beats.all()] == ["Politique"]
    assert [b.name for b in paul.beats.all()] == ["Sport"]
    assert paul.phones.get().e164 == "+33299326000"
    suggestion = MergeSuggestion.objects.get()
    assert (suggestion.contact_a, suggestion.contact_b) == (marie, paul)
    assert suggestions.in_words(suggestion.reason) == _("same email address")


@pytest.mark.django_db
def test_a_new_person_on_a_desk_address_on_file_is_a_new_contact(org: Organisation) -> None:
    run(org, csv(f"Marie;Dupont;Ouest-France;{DESK};;Politique"))
    marie = Contact.objects.get()
    result = run(org, csv(f"Paul;Martin;Ouest-France;{DESK};;Sport"))
    assert (result.counts["created"], result.counts["updated"]) == (1, 0)
    assert result.counts["suggestions"] == 1
    assert owners(DESK) == [("Marie", "Dupont"), ("Paul", "Martin")]
    marie.refresh_from_db()
    assert (marie.first_name, marie.last_name) == ("Marie", "Dupont")
    assert [b.name for b in marie.beats.all()] == ["Politique"]
    paul = Contact.objects.get(first_name="Paul")
    suggestion = MergeSuggestion.objects.get()
    assert (suggestion.contact_a, suggestion.contact_b) == (marie, paul)
    assert suggestions.in_words(suggestion.reason) == _("same email address")
    # A later file with both of them updates each: no new contact, no new suggestion.
    result = run(
        org,
        csv(
            f"Paul;Martin;Ouest-France;{DESK};06 12 34 56 78;",
            f"Marie;Dupont;Ouest-France;{DESK};02 99 32 60 00;",
        ),
    )
    assert (result.counts["created"], result.counts["updated"]) == (0, 2)
    assert result.counts["suggestions"] == 0
    assert Contact.objects.count() == 2 and MergeSuggestion.objects.count() == 1
    assert paul.phones.get().e164 == "+33612345678"
    assert marie.phones.get().e164 == "+33299326000"


@pytest.mark.django_db
def test_a_dry_run_counts_a_shared_address_the_same_way(org: Organisation) -> None:
    run(org, csv(f"Marie;Dupont;Ouest-France;{DESK};;"))
    result = run(
        org,
        csv(f"Paul;Martin;Ouest-France;{DESK};;", f"Marie;Dupont;Ouest-France;{DESK};;"),
        dry_run=True,
    )
    assert (result.counts["created"], result.counts["updated"]) == (1, 1)
    assert result.counts["suggestions"] == 1
    assert Contact.objects.count() == 1 and not MergeSuggestion.objects.exists()


@pytest.mark.django_db
def test_the_same_person_with_the_address_in_another_case_is_still_updated(
    org: Organisation,
) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene.lefevre@lequipe.example;;Sport"))
    result = run(
        org,
        csv(
            "HELENE;LEFEVRE;L’Équipe;Helene.Lefevre@LEQUIPE.example;06 12 34 56 78;",
            # In one file too: a later row merges into the contact the first one updated.
            "Hélène;Lefèvre;L’Équipe;HELENE.LEFEVRE@lequipe.example;;Cyclisme",
            # A row without a name is the address's owner.
            ";;;helene.lefevre@LEQUIPE.example;;Tennis",
        ),
    )
    assert (result.counts["created"], result.counts["updated"], result.counts["merged"]) == (
        0,
        1,
        2,
    )
    assert result.counts["suggestions"] == 0
    helene = Contact.objects.get()
    assert helene.emails.count() == 1
    assert helene.phones.get().e164 == "+33612345678"
    assert sorted(b.name for b in helene.beats.all()) == ["Cyclisme", "Sport", "Tennis"]
    assert not MergeSuggestion.objects.exists()


@pytest.mark.django_db
def test_a_typo_in_the_name_on_a_shared_address_is_the_same_person(org: Organisation) -> None:
    result = run(
        org,
        csv(
            f"Marie;Dupont;Ouest-France;{DESK};;",
            f"Marie;Duppont;Ouest-France;{DESK};;",
            f"Marie;Dupont-Moreau;Ouest-France;{DESK};;",
        ),
    )
    assert (result.counts["created"], result.counts["merged"]) == (1, 2)
    assert Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Marie Dupont", "Marie Dupont", True),
        ("", "Marie Dupont", True),
        ("Marie Dupont", "", True),
        ("Zoë Smith", "Zoe SMITH", True),
        ("Marie Dupont", "Marie Duppont", True),
        ("Paul M.", "Paul Martin", True),
        ("Hélène Lefèvre", "Hélène Lefèvre-Martin", True),
        ("Marie Dupont", "Paul Martin", False),
        ("Marie Dupont", "Marie Durand", False),
        ("M. D.", "Marie Dupont", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(normalise(a), normalise(b)) is same
