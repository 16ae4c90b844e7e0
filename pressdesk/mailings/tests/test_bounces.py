"""read_bounce() on small recorded notices: DSN, MTA wording, French providers, auto-replies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pressdesk.mailings.bounces import MAX_MESSAGE_BYTES, BounceReport, Recipient, read_bounce

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> BounceReport:
    return read_bounce((FIXTURES / name).read_bytes())


def only(report: BounceReport) -> Recipient:
    assert report.kind == "bounce"
    assert len(report.recipients) == 1
    return report.recipients[0]


def test_it_reads_a_dsn_for_an_unknown_user_as_hard() -> None:
    recipient = only(read("dsn_hard_511.eml"))
    assert recipient.address == "claire.dubois@example.net"
    assert (recipient.status, recipient.reply_code, recipient.hard) == ("5.1.1", 550, True)
    assert "User unknown" in recipient.reason


def test_it_reads_a_full_mailbox_as_soft() -> None:
    recipient = only(read("dsn_soft_522.eml"))
    assert (recipient.address, recipient.status, recipient.hard) == (
        "marc.petit@example.org",
        "5.2.2",
        False,
    )


def test_it_never_calls_a_delay_hard() -> None:
    recipient = only(read("dsn_delay_4xx.eml"))
    assert (recipient.address, recipient.status, recipient.hard) == (
        "paul.roux@example.com",
        "4.4.1",
        False,
    )


@pytest.mark.parametrize(
    ("name", "address", "status", "reply_code"),
    [
        ("postfix_text.eml", "luc.bernard@example.org", "5.1.1", 550),
        ("exim_text.eml", "anna.smith@example.co.uk", None, 550),
        ("exchange_fr.eml", "sophie.lefevre@exemple-presse.fr", "5.1.10", 550),
        ("gmail.eml", "jules.martin@gmail.com", "5.1.1", 550),
    ],
)
def test_it_reads_dead_addresses_from_each_mta(
    name: str, address: str, status: str | None, reply_code: int
) -> None:
    recipient = only(read(name))
    assert (recipient.address, recipient.status, recipient.reply_code) == (
        address,
        status,
        reply_code,
    )
    assert recipient.hard


def test_it_keeps_a_quoted_original_out_of_the_recipients() -> None:
    # The Exim notice quotes the original's To: line below its copy marker.
    assert [r.address for r in read("exim_text.eml").recipients] == ["anna.smith@example.co.uk"]


def test_it_reads_an_orange_policy_refusal_as_soft() -> None:
    recipient = only(read("orange_policy.eml"))
    assert (recipient.address, recipient.status, recipient.reply_code) == (
        "nadia.girard@orange.fr",
        "5.7.1",
        550,
    )
    assert not recipient.hard
    assert "OFR004_104" in recipient.reason


def test_it_reads_a_french_out_of_office_with_return_date_and_new_address() -> None:
    report = read("ooo_fr.eml")
    assert report == BounceReport(
        "auto_reply", [], new_address="elise.moreau@hebdo.example", return_date=date(2027, 1, 12)
    )


def test_it_reads_an_rfc_3834_auto_reply_without_taking_a_colleague_for_a_new_address() -> None:
    report = read("autoreply_rfc3834.eml")
    assert report == BounceReport("auto_reply", [], None, date(2027, 1, 12))


def test_it_leaves_an_ordinary_reply_alone() -> None:
    assert read("not_bounce.eml") == BounceReport("other")


def test_it_reads_broken_mime_without_crashing() -> None:
    assert read("broken_mime.eml").kind == "other"


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\xff" * 1000, b"Content-Type: multipart/report\r\n\r\n--", b"From: \r\n" * 5000],
)
def test_it_survives_garbage(data: bytes) -> None:
    assert read_bounce(data).kind in {"bounce", "other", "auto_reply"}


def test_it_reads_a_huge_message_only_up_to_its_cap() -> None:
    head = (FIXTURES / "dsn_hard_511.eml").read_bytes()
    huge = head + b"x" * (MAX_MESSAGE_BYTES * 2)
    assert only(read_bounce(huge)).hard


def test_it_does_not_report_a_success_notice_as_a_bounce() -> None:
    data = (
        (FIXTURES / "dsn_delay_4xx.eml")
        .read_bytes()
        .replace(b"Action: delayed", b"Action: delivered")
    )
    assert read_bounce(data).kind == "other"


def test_it_takes_a_precise_code_from_the_diagnostic_over_a_generic_status() -> None:
    data = (FIXTURES / "orange_policy.eml").read_bytes().replace(b"Status: 5.7.1", b"Status: 5.0.0")
    assert only(read_bounce(data)).status == "5.7.1"
