"""`pressdesk releases export`: a release written to a file, with the member's rights, audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.releases.tests import kits_sample as s


def test_it_writes_a_pdf(org: Organisation, tmp_path: Path) -> None:
    release = s.release(org)
    out = tmp_path / "cp.pdf"
    call_command("releases", "export", str(release.pk), "--format", "pdf", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="release.export")
    assert entry.actor_label.startswith("cli:")


def test_it_writes_a_docx_as_a_member(org: Organisation, bob: User, tmp_path: Path) -> None:
    release = s.release(org)
    out = tmp_path / "cp.docx"
    call_command(
        "releases", "export", str(release.pk), "--format", "docx", "--output", str(out),
        "--user", bob.email,
    )  # fmt: skip
    assert out.read_bytes()[:2] == b"PK"
    assert AuditEntry.objects.get(action="release.export").actor == bob


def test_it_refuses_a_viewer(org: Organisation, vera: User, tmp_path: Path) -> None:
    release = s.release(org)
    out = tmp_path / "cp.pdf"
    with pytest.raises(CommandError, match="does not allow"):
        call_command(
            "releases", "export", str(release.pk), "--output", str(out), "--user", vera.email
        )
    assert not out.exists()
    assert not AuditEntry.objects.filter(action="release.export").exists()


def test_it_refuses_another_organisations_member_and_release(
    org: Organisation, other_org: Organisation, charlie: User, tmp_path: Path
) -> None:
    release = s.release(org)
    with pytest.raises(CommandError, match="not a member"):
        call_command(
            "releases", "export", str(release.pk), "--org", "acme", "--user", charlie.email
        )
    with pytest.raises(CommandError, match="no release"):
        call_command("releases", "export", str(release.pk), "--org", other_org.slug)
