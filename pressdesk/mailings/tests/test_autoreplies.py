"""Return dates and new addresses in French and English out-of-office wording."""

from __future__ import annotations

from datetime import date

import pytest

from pressdesk.mailings.autoreplies import (
    find_new_address,
    find_return_date,
    looks_like_auto_reply_subject,
)

SENT = date(2026, 12, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Je serai de retour le 12 janvier.", date(2027, 1, 12)),
        ("De retour le lundi 4 janvier 2027", date(2027, 1, 4)),
        ("Absente jusqu'au 3/02.", date(2027, 2, 3)),
        ("absent du 21 au 28 décembre", date(2026, 12, 28)),
        ("I will be back on January 12.", date(2027, 1, 12)),
        ("Back on Monday, 4th January 2027", date(2027, 1, 4)),
        ("Out of the office until December 27th", date(2026, 12, 27)),
        ("returning on 5 Jan", date(2027, 1, 5)),
        ("back 13/01/2027", date(2027, 1, 13)),
        ("back on 2/25", date(2027, 2, 25)),
    ],
)
def test_it_reads_return_dates(text: str, expected: date) -> None:
    assert find_return_date(text, SENT) == expected


@pytest.mark.parametrize(
    "text", ["Merci pour votre message.", "Back on 31 February", "Le 12 janvier 1998, il…"]
)
def test_it_finds_no_date_where_there_is_none(text: str) -> None:
    assert find_return_date(text, SENT) is None


@pytest.mark.parametrize(
    "text",
    [
        "Ma nouvelle adresse : jean@hebdo.example",
        "Merci d'écrire à jean@hebdo.example désormais.",
        "Please write to jean@hebdo.example from now on.",
        "My new email address is jean@hebdo.example.",
    ],
)
def test_it_reads_new_addresses(text: str) -> None:
    assert find_new_address(text, {"jean@old.example"}) == "jean@hebdo.example"


def test_it_does_not_take_the_sender_or_a_colleague_for_a_new_address() -> None:
    assert find_new_address("Please write to jean@old.example", {"jean@old.example"}) is None
    assert find_new_address("For urgent matters contact desk@old.example", set()) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Absence : Re: communiqué",
        "Réponse automatique : invitation",
        "Out of Office: launch",
        "Automatic reply: launch",
        "Auto: launch",
    ],
)
def test_it_recognises_out_of_office_subjects(subject: str) -> None:
    assert looks_like_auto_reply_subject(subject)


def test_it_does_not_take_a_plain_subject_for_an_out_of_office() -> None:
    assert not looks_like_auto_reply_subject("Re: Invitation au lancement")
