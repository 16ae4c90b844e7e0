from __future__ import annotations

import io
import json
import secrets
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from pressdesk.tests.conftest import Cli

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def orgs(cli: Cli, **env: str) -> list[str]:
    result = cli("org", "list", "--json", **env)
    assert result.returncode == 0, result.stderr
    return [row["slug"] for row in json.loads(result.stdout)]


def actions(cli: Cli, **env: str) -> list[str]:
    code = (
        "from pressdesk.accounts.models import AuditEntry as A; "
        "print(','.join(A.objects.order_by('id').values_list('action', flat=True)))"
    )
    return cli("shell", "-c", code, **env).stdout.strip().splitlines()[-1].split(",")


def round_trip(cli: Cli, tmp_path: Path, **env: str) -> None:
    media = cli.var / "media"
    assert cli("org", "create", "Mairie de Tours", "--slug", "tours", **env).returncode == 0
    (media / "kits").mkdir(parents=True)
    (media / "kits" / "dossier.pdf").write_bytes(b"%PDF-1.4 dossier de presse")
    archive = tmp_path / "backup.tar.gz"

    made = cli("backup", str(archive), **env)
    assert made.returncode == 0, made.stderr
    assert "Backup written to" in made.stdout
    assert archive.stat().st_mode & 0o077 == 0  # only the owner may read it

    # Changes after the backup, which the restore must undo.
    assert cli("org", "create", "Mairie de Blois", "--slug", "blois", **env).returncode == 0
    (media / "kits" / "dossier.pdf").unlink()
    (media / "later.txt").write_text("written after the backup")

    refused = cli("restore", str(archive), **env)
    assert refused.returncode == 1
    assert "add --yes" in refused.stderr
    assert orgs(cli, **env) == ["blois", "tours"]

    restored = cli("restore", "--yes", str(archive), **env)
    assert restored.returncode == 0, restored.stderr
    assert orgs(cli, **env) == ["tours"]
    assert (media / "kits" / "dossier.pdf").read_bytes() == b"%PDF-1.4 dossier de presse"
    assert not (media / "later.txt").exists()
    # The restored database has the history up to the backup, then the restore itself.
    assert actions(cli, **env)[-2:] == ["org.create", "backup.restore"]


def test_it_backs_up_and_restores_sqlite(cli: Cli, tmp_path: Path) -> None:
    round_trip(cli, tmp_path)
    db = sqlite3.connect(cli.var / "pressdesk.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_it_records_the_backup_in_the_audit_log(cli: Cli, tmp_path: Path) -> None:
    assert cli("backup", str(tmp_path)).returncode == 0
    assert actions(cli)[-1] == "backup.create"
    assert len(list(tmp_path.glob("pressdesk-*.tar.gz"))) == 1


def test_it_writes_to_var_backups_by_default(cli: Cli) -> None:
    assert cli("backup").returncode == 0
    assert len(list((cli.var / "backups").glob("pressdesk-*.tar.gz"))) == 1


def test_it_keeps_the_secret_key(cli: Cli, tmp_path: Path) -> None:
    key = (cli.var / "secret_key").read_text()
    archive = tmp_path / "b.tar.gz"
    assert cli("backup", str(archive)).returncode == 0
    (cli.var / "secret_key").write_text("another key " + secrets.token_hex(20))
    assert cli("restore", "--yes", str(archive)).returncode == 0
    assert (cli.var / "secret_key").read_text() == key


def test_it_refuses_a_file_that_is_not_a_backup(cli: Cli, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = cli("restore", "--yes", str(bogus))
    assert result.returncode == 1
    assert "is not a Pressdesk backup" in result.stderr


def test_it_refuses_paths_outside_its_folder(cli: Cli, tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in (
            ("pressdesk-backup.json", b'{"format": 1, "vendor": "sqlite", "created": "x"}'),
            ("../../escaped.txt", b"gotcha"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = cli("restore", "--yes", str(archive))
    assert result.returncode != 0
    assert not (cli.var.parent / "escaped.txt").exists()
    assert not (tmp_path / "escaped.txt").exists()
    assert orgs(cli) == []  # nothing restored


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A throwaway PostgreSQL database next to the test one, for the subprocesses."""
    db = settings.DATABASES["default"]
    name = f"pd_backup_{secrets.token_hex(4)}"
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(
        f"{url}/postgres", password=db.get("PASSWORD") or None, autocommit=True
    ) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield f"{url}/{name}"
    with psycopg.connect(
        f"{url}/postgres", password=db.get("PASSWORD") or None, autocommit=True
    ) as c:
        c.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.mark.skipif(not ON_POSTGRES, reason="runs in the PostgreSQL pass of .ci/run")
def test_it_backs_up_and_restores_postgresql(
    cli: Cli, tmp_path: Path, scratch_postgres: str
) -> None:
    env = {"DATABASE_URL": scratch_postgres}
    assert cli("migrate", "-v0", **env).returncode == 0
    round_trip(cli, tmp_path, **env)
