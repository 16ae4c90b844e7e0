"""A real Dovecot IMAP server for tests: its own config, maildir and port in a temporary folder.

Started with `dovecot -F -c CONF` on a free loopback port, plaintext login allowed (loopback
only), one user from a passwd-file. As root (this sandbox), login processes run as `nobody` and
mail is stored as `nobody`, because Dovecot refuses root for both; as any other user (CI), as
that user.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "replies", "s3cret-pass"
START_TIMEOUT = 20.0


@dataclass
class Dovecot:
    """A running server and how to reach its one mailbox."""

    port: int
    home: Path
    log: Path

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def client(self, folder: str = "INBOX") -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        conn.select(folder)
        return conn

    def deliver(self, *messages: bytes) -> None:
        """Put messages in the inbox, unseen, as a mail server would."""
        conn = self.client()
        for raw in messages:
            status, data = conn.append("INBOX", "", None, raw)
            assert status == "OK", data
        conn.logout()

    def flags(self, folder: str = "INBOX") -> list[str]:
        """Each message's flags, in order, as the server reports them."""
        conn = self.client(folder)
        status, data = conn.fetch("1:*", "(FLAGS)")
        conn.logout()
        if status != "OK" or data == [None]:
            return []
        return [part.decode() for part in data if isinstance(part, bytes)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(base: Path, port: int, mail_uid: int, mail_gid: int, login_user: str) -> str:
    me = pwd.getpwuid(os.getuid())
    return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {me.pw_name}
default_internal_group = {grp.getgrgid(os.getgid()).gr_name}
default_login_user = {login_user}
mail_location = maildir:{base}/mail/%u
first_valid_uid = {min(mail_uid, 1)}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={base}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _wait_until_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            conn = imaplib.IMAP4("127.0.0.1", port, timeout=2)
        except OSError:
            time.sleep(0.05)  # readiness poll, not a timing assumption
            continue
        conn.logout()
        return
    raise RuntimeError(
        f"dovecot did not listen on {port}: {log.read_text() if log.exists() else ''}"
    )


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A fresh Dovecot with an empty inbox, stopped after the test."""
    if not Path(DOVECOT).exists():
        message = f"{DOVECOT} is not installed (Debian package dovecot-imapd)"
        # CI installs Dovecot (.ci/run): there a missing server is a failure, never a quiet skip.
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    base = Path(tempfile.mkdtemp(prefix="pd-dovecot-"))
    base.chmod(0o755)  # the login processes, run as another user, pass through it
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        mail_uid, mail_gid, login_user = nobody.pw_uid, nobody.pw_gid, "nobody"
    else:
        mail_uid, mail_gid, login_user = os.getuid(), os.getgid(), pwd.getpwuid(os.getuid()).pw_name
    for sub in ("mail", "home"):
        (base / sub).mkdir()
        os.chown(base / sub, mail_uid, mail_gid)
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    conf = base / "dovecot.conf"
    conf.write_text(_config(base, port, mail_uid, mail_gid, login_user))
    log = base / "dovecot.log"
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_listening(proc, port, log)
        yield Dovecot(port=port, home=base, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(base, ignore_errors=True)
