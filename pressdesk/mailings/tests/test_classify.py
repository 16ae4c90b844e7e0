"""Hard only when the address is dead; policy, spam, content and full mailboxes are soft."""

from __future__ import annotations

import pytest

from pressdesk.mailings.classify import find_reply_code, find_status, is_hard, is_temporary


@pytest.mark.parametrize("status", ["5.1.1", "5.1.2", "5.1.6", "5.1.10"])
def test_it_calls_dead_address_codes_hard(status: str) -> None:
    assert is_hard(status, 550, "whatever the words", temporary=False)


@pytest.mark.parametrize("status", ["5.2.2", "5.7.1", "5.7.26", "5.4.1", "5.2.1", "5.3.4"])
def test_it_calls_other_permanent_codes_soft(status: str) -> None:
    assert not is_hard(status, 550, "User unknown", temporary=False)


@pytest.mark.parametrize(
    "text",
    [
        "550 User unknown",
        "550 No such user here",
        "550 Host or domain name not found",
        "554 utilisateur inconnu",
        "550 Adresse inexistante",
        "550 This user doesn't have a yahoo.com account",
        "550 5.0.0 Recipient address rejected: user unknown",
    ],
)
def test_it_reads_dead_wording_of_a_5xx_without_a_precise_code(text: str) -> None:
    assert is_hard(find_status(text), find_reply_code(text), text, temporary=False)


@pytest.mark.parametrize(
    "text",
    [
        "550 Message rejected as spam",
        "552 Mailbox full",
        "550 User unknown or mailbox over quota",
        "554 rejected by policy: your IP is listed on a block list",
        "550 Boîte aux lettres pleine",
        "550 refused because of its content",
        "554 Service unavailable",
    ],
)
def test_it_reads_policy_spam_and_full_mailbox_wording_as_soft(text: str) -> None:
    assert not is_hard(find_status(text), find_reply_code(text), text, temporary=False)


@pytest.mark.parametrize(
    ("status", "code", "text", "action"),
    [
        ("4.2.2", 452, "mailbox full", "failed"),
        (None, 450, "User unknown", ""),
        ("5.1.1", 550, "user unknown", "delayed"),
        (None, None, "Warning: message delayed 24 hours", ""),
    ],
)
def test_it_never_calls_a_temporary_failure_hard(
    status: str | None, code: int | None, text: str, action: str
) -> None:
    temporary = is_temporary(status, code, text, action)
    assert temporary
    assert not is_hard(status, code, text, temporary)


def test_it_finds_codes_in_a_diagnostic() -> None:
    text = "host mx[192.0.2.1]:25 said: 550-5.1.1 <a@b.example>: unknown"
    assert (find_status(text), find_reply_code(text)) == ("5.1.1", 550)
    assert (find_status("IP 192.0.2.1 refused"), find_reply_code("port 25, id 4501")) == (
        None,
        None,
    )
