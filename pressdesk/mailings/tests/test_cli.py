"""`pressdesk mailings create|send|status|pause|resume|cancel`: the same rules as the app."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts.models import ContactList
from pressdesk.mailings.models import Mailing, Recipient
from pressdesk.mailings.testing import Sink
from pressdesk.mailings.tests.conftest import people, static_list
from pressdesk.releases.models import ReleaseState
from pressdesk.releases.tests import newsroom_data
from pressdesk.work.models import WorkState


def mailings(*args: str) -> str:
    out = StringIO()
    call_command("mailings", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "pitch.md"
    path.write_text("Bonjour {{ first_name }},\n\nUne idée de sujet.\n", encoding="utf-8")
    return path


@pytest.fixture
def audience(org: Organisation) -> tuple[ContactList, ContactList]:
    press = static_list(org, "Presse régionale", people(org, 3))
    people(org, 2, prefix="f", kind="freelance")
    segment = ContactList.objects.create(
        org=org, name="Pigistes", kind=ContactList.SEGMENT, filters={"kind": ["freelance"]}
    )
    return press, segment


def test_create_send_status(
    org: Organisation, bob: User, body: Path, audience: Any, sink: Sink
) -> None:
    out = mailings(
        "create", "--subject", "Une idée", "--body-file", str(body),
        "--list", "Presse régionale", "--segment", "Pigistes", "--user", bob.email, "--json",
    )  # fmt: skip
    first, payload = out.splitlines()[0], json.loads(out.splitlines()[1])
    mailing = Mailing.objects.get()
    assert first == str(mailing.pk) and payload["id"] == mailing.pk
    assert (payload["state"], payload["recipients"]) == ("draft", 5)
    assert mailing.created_by == bob and mailing.body.startswith("Bonjour {{ first_name }}")
    sent = mailings("send", str(mailing.pk), "--user", bob.email)
    assert "5 recipients" in sent
    assert Recipient.objects.filter(mailing=mailing, state=WorkState.PENDING).count() == 5
    status = json.loads(mailings("status", str(mailing.pk), "--json"))
    assert {k: status[k] for k in ("state", "recipients", "queued", "sent", "unknown")} == {
        "state": "sending",
        "recipients": 5,
        "queued": 5,
        "sent": 0,
        "unknown": 0,
    }
    readable = mailings("status", str(mailing.pk))
    assert f"Mailing {mailing.pk}: Sending" in readable and "Queued" in readable
    assert AuditEntry.objects.get(action="mailing.send").actor == bob


def test_pause_resume_cancel_from_the_shell(org: Organisation, body: Path, audience: Any) -> None:
    mailing_id = mailings(
        "create", "--subject", "S", "--body-file", str(body), "--list", "Presse régionale"
    ).splitlines()[0]
    mailings("send", mailing_id)
    assert "paused" in mailings("pause", mailing_id, "--reason", "Relecture")
    with pytest.raises(CommandError, match="paused"):
        mailings("pause", mailing_id)
    mailings("resume", mailing_id)
    mailings("cancel", mailing_id)
    assert Mailing.objects.get().state == "cancelled"
    labels = set(AuditEntry.objects.values_list("actor_label", flat=True))
    assert len(labels) == 1 and labels.pop().startswith("cli:")


def test_roles_and_outsiders_are_refused(
    org: Organisation,
    other_org: Organisation,
    bob: User,
    vera: User,
    sam: User,
    charlie: User,
    body: Path,
    audience: Any,
) -> None:
    create = ["create", "--subject", "S", "--body-file", str(body), "--list", "Presse régionale"]
    for who in (vera, sam):
        with pytest.raises(CommandError, match="does not allow"):
            mailings(*create, "--org", "acme", "--user", who.email)
    with pytest.raises(CommandError, match="not a member"):
        mailings(*create, "--org", "acme", "--user", charlie.email)
    mailing_id = mailings(*create, "--org", "acme", "--user", bob.email).splitlines()[0]
    for verb in ("send", "pause", "resume", "cancel"):
        with pytest.raises(CommandError, match="does not allow"):
            mailings(verb, mailing_id, "--org", "acme", "--user", vera.email)
    # Another organisation's director cannot reach it through their own organisation.
    with pytest.raises(CommandError, match="no mailing"):
        mailings("send", mailing_id, "--org", "other", "--user", charlie.email)
    with pytest.raises(CommandError, match="no mailing"):
        mailings("status", mailing_id, "--org", "other")
    assert Recipient.objects.count() == 0


def test_a_release_mailing_needs_the_release_approved(
    org: Organisation, bob: User, audience: Any
) -> None:
    release = newsroom_data.release(org, state=ReleaseState.IN_REVIEW)
    release.approved_version = None
    release.save(update_fields=["approved_version"])
    mailing_id = mailings(
        "create", "--release", str(release.pk), "--list", "Presse régionale", "--user", bob.email
    ).splitlines()[0]
    with pytest.raises(CommandError, match="approved"):
        mailings("send", mailing_id, "--user", bob.email)
    with pytest.raises(CommandError, match="approved"):
        mailings(
            "create", "--release", str(release.pk), "--list", "Presse régionale",
            "--schedule", "2030-01-15T10:00",
        )  # fmt: skip
    assert Recipient.objects.count() == 0


def test_bad_input_says_what_is_wrong(org: Organisation, body: Path, audience: Any) -> None:
    with pytest.raises(
        CommandError, match=re.escape("no list named “Inconnue”. Lists: Presse régionale.")
    ):
        mailings("create", "--subject", "S", "--body-file", str(body), "--list", "Inconnue")
    with pytest.raises(CommandError, match="--release ID, or --subject"):
        mailings("create", "--subject", "S", "--list", "Presse régionale")
    with pytest.raises(CommandError, match=re.escape("missing.md")):
        mailings(
            "create", "--subject", "S", "--body-file", "missing.md", "--list", "Presse régionale"
        )
    with pytest.raises(CommandError, match="--schedule"):
        mailings(
            "create", "--subject", "S", "--body-file", str(body), "--list", "Presse régionale",
            "--schedule", "demain",
        )  # fmt: skip
    with pytest.raises(CommandError, match="no mailing 999"):
        mailings("status", "999")
    scheduled = mailings(
        "create", "--subject", "S", "--body-file", str(body), "--list", "Presse régionale",
        "--schedule", "2030-01-15T10:00", "--json",
    )  # fmt: skip
    assert json.loads(scheduled.splitlines()[1])["scheduled_for"].startswith("2030-01-15T09:00")


def test_send_wait_follows_the_progress(
    org: Organisation, bob: User, body: Path, audience: Any, sink: Sink, monkeypatch: Any
) -> None:
    from pressdesk.mailings import sending
    from pressdesk.mailings.cli import send

    mailing_id = mailings(
        "create", "--subject", "S", "--body-file", str(body), "--list", "Presse régionale"
    ).splitlines()[0]

    def worker_meanwhile(_seconds: float) -> None:
        # What a `pressdesk worker` does between two looks of the command.
        first = Recipient.objects.filter(mailing_id=mailing_id).order_by("pk").first()
        assert first is not None
        sending.process(first.pk)

    monkeypatch.setattr(send.time, "sleep", worker_meanwhile)
    out = mailings("send", mailing_id, "--wait")
    assert "[" + "." * 30 + "] 0/3 sent" in out
    assert f"Mailing {mailing_id}: Sent" in out
    assert len(sink.accepted) == 3
