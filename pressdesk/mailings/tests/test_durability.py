"""Exactly once across crashes: real `pressdesk worker` processes, SIGKILLed at random moments,
sending a real mailing to a real SMTP server on loopback that logs what it accepted."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
from collections import Counter

import pytest

from pressdesk.mailings.testing import Sink, smtp_sink
from pressdesk.work.tests.conftest import Site

RECIPIENTS = 2000
KILLS = 22
SCENARIO = (
    "from pressdesk.mailings.tests.scenarios import started_mailing; print(started_mailing(%s))"
)
LEDGER = "SELECT address, state, outcome, message_id, claimed_by FROM mailings_recipient"


class Strike:
    """Kills a worker from inside the server, once it has accepted `threshold` messages: the
    message is taken, and its 250 never reaches the worker."""

    def __init__(self, proc: subprocess.Popen[str], threshold: int) -> None:
        self.proc, self.threshold = proc, threshold
        self.hit = threading.Event()

    def __call__(self, _rcpt: str, count: int) -> None:
        if count >= self.threshold and not self.hit.is_set():
            self.hit.set()
            self.proc.send_signal(signal.SIGKILL)


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _kill_after(proc: subprocess.Popen[str], seconds: float) -> None:
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def _settled(site: Site, mailing: int, sink: Sink) -> list[tuple[str, str, str, str, str]]:
    """Wait for the mailing to end; the ledger rows, checked against the server's log."""
    site.wait_for(
        "SELECT state FROM mailings_mailing WHERE id = %s", mailing, expect="sent", timeout=180
    )
    site.stop_workers()
    rows = site.rows(LEDGER + " WHERE mailing_id = %s", mailing)
    assert len(rows) == RECIPIENTS
    received = sink.recipients()
    twice = [a for a, n in Counter(received).items() if n > 1]
    assert not twice, f"mailed twice: {twice[:10]}"
    sent = {a for a, state, outcome, *_ in rows if (state, outcome) == ("done", "sent")}
    unknown = {a for a, state, outcome, *_ in rows if state == "interrupted"}
    # Every row ended sent or unknown: nobody skipped, nothing failed or left waiting.
    assert len(sent) + len(unknown) == RECIPIENTS, Counter((s, o) for _a, s, o, *_ in rows)
    # Unknown rows were all handed to the server (or about to be): never a row not yet started.
    assert {o for _a, s, o, *_ in rows if s == "interrupted"} <= {"sending"}
    # The ledger's totals and the server's log agree: every sent row arrived, and whatever else
    # arrived is among the unknown.
    got = set(received)
    assert sent <= got
    assert got - sent <= unknown
    # The Message-ID stored before the send is the one that arrived.
    ids = {a: mid for a, _s, _o, mid, _c in rows}
    assert all(ids[a] == mid for a, mid in sink.accepted)
    return rows


def test_a_mailing_killed_twenty_times_mails_nobody_twice_and_nobody_skipped(site: Site) -> None:
    rng = random.Random(20261128)
    with smtp_sink(keep_messages=False) as sink:
        env = {"EMAIL_URL": sink.url, "MAILINGS_TASK_SECONDS": "5"}
        mailing = int(site.shell(SCENARIO % RECIPIENTS))
        in_data = 0
        for attempt in range(KILLS):
            before = len(sink.accepted)
            proc = site.worker("--worker-id", f"doomed-{attempt}", "--interval", "0.1", **env)
            if attempt % 3 == 0:
                # Killed while the server holds the message and before its 250 reaches the
                # worker: the row must end unknown, not sent again.
                strike = Strike(proc, before + rng.randint(1, 40))
                sink.on_accept = strike
                assert strike.hit.wait(timeout=120), "the worker sent nothing"
                sink.on_accept = None
                _kill(proc)
                in_data += 1
            else:
                sink.wait_for(before + 1, timeout=120)
                _kill_after(proc, rng.uniform(0.0, 0.4))
            if len(sink.accepted) >= RECIPIENTS - 100:
                break
        assert attempt + 1 >= 20, "the mailing ended before twenty kills"
        site.worker("--worker-id", "survivor", **env)
        rows = _settled(site, mailing, sink)
    unknown = [r for r in rows if r[1] == "interrupted"]
    assert len(unknown) >= in_data, "each kill inside DATA leaves one row unknown"
    assert len(unknown) <= attempt + 1, "at most one row in flight per kill"

    # The operator sees the same totals from the command line.
    status = site.cli("mailings", "status", str(mailing), "--json", **site.env)
    assert status.returncode == 0, status.stderr
    found = json.loads(status.stdout)
    assert found["unknown"] == len(unknown)
    assert found["sent"] == RECIPIENTS - len(unknown)
    assert found["queued"] == 0 and found["state"] == "sent"


def test_two_workers_never_send_the_same_row(site: Site) -> None:
    if site.vendor != "postgresql":
        pytest.skip("SKIP LOCKED between two workers is a PostgreSQL matter")
    with smtp_sink(keep_messages=False) as sink:
        env = {"EMAIL_URL": sink.url, "MAILINGS_TASK_SECONDS": "5"}
        mailing = int(site.shell(SCENARIO % RECIPIENTS))
        site.worker("--worker-id", "left", "--interval", "0.05", **env)
        site.worker("--worker-id", "right", "--interval", "0.05", **env)
        rows = _settled(site, mailing, sink)
    assert len(sink.accepted) == RECIPIENTS
    by_worker = Counter(claimed_by for *_rest, claimed_by in rows)
    assert set(by_worker) == {"left", "right"}, by_worker
