"""Backups: one .tar.gz with a consistent copy of the database, the media files and the secret key.

SQLite is copied with SQLite's online backup API and restored with it too: the copy is one read
transaction, and the restore one write transaction, so both are consistent and atomic even while
the web app and workers hold the file open in WAL mode (replacing the file under them would
mix the old WAL into the new database). PostgreSQL goes through pg_dump and pg_restore.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from pressdesk.accounts import audit

FORMAT = 1
MANIFEST = "pressdesk-backup.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
T = TypeVar("T")


class BackupError(Exception):
    """A backup or restore cannot be made; the message says why."""


def default_destination() -> Path:
    """var/backups/pressdesk-YYYYMMDD-HHMMSS.tar.gz, in local time."""
    return settings.VAR_DIR / "backups" / f"pressdesk-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    return connection.vendor


def _key_from_environment() -> bool:
    return bool(os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"))


def _pg_env() -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore, from Django's database settings."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()}
        )


def _copy_database(target: Path) -> None:
    if _vendor() == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=20)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one snapshot, never restarted
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
    else:
        name = str(connection.settings_dict["NAME"])
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", name], _pg_env())


def _bar(items: list[T], label: str, progress: bool) -> Iterable[T]:
    # disable=None: a bar on a terminal only, not in logs.
    return tqdm(items, desc=label, disable=None if progress else True)


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def create_backup(dest: Path, *, actor_label: str, progress: bool = False) -> Path:
    """Write a backup archive to `dest` (atomically) and record it in the audit log."""
    vendor = _vendor()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".backup-") as tmp:
        work = Path(tmp)
        _copy_database(work / DATABASE_FILES[vendor])
        manifest = {"format": FORMAT, "vendor": vendor, "created": timezone.now().isoformat()}
        (work / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            tar.add(work / DATABASE_FILES[vendor], arcname=DATABASE_FILES[vendor])
            key = settings.VAR_DIR / SECRET_KEY_FILE
            if key.exists() and not _key_from_environment():
                # Signed links already sent (unsubscribe, invitations) must still work after a
                # restore on another machine.
                tar.add(key, arcname=SECRET_KEY_FILE)
            # The media folder itself, even empty, so that a restore empties it too.
            root = Path(settings.MEDIA_ROOT)
            tar.add(root if root.is_dir() else work, arcname=MEDIA, recursive=False)
            for path in _bar(_media_files(), _("Media files"), progress):
                tar.add(path, arcname=f"{MEDIA}/{path.relative_to(root).as_posix()}")
        partial.chmod(0o600)  # it holds password hashes and the secret key
        os.replace(partial, dest)
    audit.record(
        "backup.create",
        actor_label=actor_label,
        file=str(dest),
        vendor=vendor,
        size=dest.stat().st_size,
    )
    return dest


def read_manifest(archive: Path) -> dict[str, Any]:
    """The archive's description, checked to be a Pressdesk backup of this database's kind."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.load(member)
    except (OSError, KeyError, tarfile.TarError, ValueError):
        raise BackupError(_("%(file)s is not a Pressdesk backup.") % {"file": archive}) from None
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(file)s has an unknown backup format.") % {"file": archive})
    if manifest.get("vendor") != _vendor():
        raise BackupError(
            _("%(file)s holds a %(theirs)s database; this installation uses %(ours)s.")
            % {"file": archive, "theirs": manifest.get("vendor"), "ours": _vendor()}
        )
    return manifest


def _restore_database(copy: Path) -> None:
    connection.close()
    if _vendor() == "sqlite":
        source = sqlite3.connect(copy)
        target = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=20)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(_("The database in the backup is damaged."))
            source.backup(target)  # one write transaction: all or nothing
        finally:
            target.close()
            source.close()
    else:
        name = str(connection.settings_dict["NAME"])
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run([*command, f"--dbname={name}", str(copy)], _pg_env())


def _restore_media(extracted: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    old = root.with_name(f".{root.name}-replaced")
    if root.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(root, old)
    shutil.move(extracted, root)  # MEDIA_ROOT may be on another file system than var/
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(archive: Path, *, actor_label: str, progress: bool = False) -> dict[str, Any]:
    """Replace the database and media files with the archive's; return its manifest."""
    manifest = read_manifest(archive)
    vendor = manifest["vendor"]
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix=".restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            # The "data" filter refuses absolute paths, links and files outside `work`.
            for member in _bar(members, _("Extracting"), progress):
                tar.extract(member, work, filter="data")
        _restore_database(work / DATABASE_FILES[vendor])
        (work / MEDIA).mkdir(exist_ok=True)
        _restore_media(work / MEDIA)
        key = work / SECRET_KEY_FILE
        if key.exists() and not _key_from_environment():
            os.replace(key, settings.VAR_DIR / SECRET_KEY_FILE)
    audit.record(
        "backup.restore", actor_label=actor_label, file=str(archive), created=manifest["created"]
    )
    return manifest
