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
POOL = 3
SCENARIO = (
    "from pressdesk.mailings.tests.scenarios import started_mailing; print(started_mailing(%s))"
)
LEDGER = "SELECT address, state, outcome, message_id, claimed_by FROM mailings_recipient"


class Strike:
    """Kills workers from inside the server once it has accepted `threshold` messages: the
    message is taken, and its 250 never reaches the worker that sent it."""

    def __init__(self, procs: list[subprocess.Popen[str]], threshold: int) -> None:
        self.procs, self.threshold = procs, threshold
        self.hit = threading.Event()

    def __call__(self, _rcpt: str, count: int) -> None:
        if count >= self.threshold and not self.hit.is_set():
            for proc in self.procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
            self.hit.set()


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
        env = {
            "EMAIL_URL": sink.url,
            "MAILINGS_TASK_SECONDS": "5",
            "PERIODIC_EVERY": "mailings.due=1",
            # Killed workers' claims come back as soon as their lease is over, not a minute later.
            "WORK_SWEEP_SECONDS": "5",
        }
        mailing = int(site.shell(SCENARIO % RECIPIENTS))
        # A pool of workers: one is killed while the others send and its replacement starts.
        pool: list[tuple[str, subprocess.Popen[str]]] = []
        started = 0

        def spawn(**more: str) -> None:
            nonlocal started
            name = f"w{started}"
            started += 1
            # Held to one message a second each while they are being killed, so that twenty kills
            # land before the end of the mailing however fast or loaded the machine is.
            more = more or {"MAILINGS_RATE_PER_SECOND": "1"}
            worker = site.worker("--worker-id", name, "--interval", "0.1", **env, **more)
            pool.append((name, worker))

        for _n in range(POOL):
            spawn()
        kills = strikes = 0
        while kills < KILLS and len(sink.accepted) < RECIPIENTS - 100:
            if strikes * 4 <= kills:
                # Inside DATA: every worker dies while the server holds a message of one.
                strike = Strike([p for _n, p in pool], len(sink.accepted) + rng.randint(1, 30))
                sink.on_accept = strike
                assert strike.hit.wait(timeout=120), "no worker sent anything"
                sink.on_accept = None
                for _name, proc in pool:
                    proc.wait(timeout=30)
                kills += len(pool)
                strikes += 1
                pool.clear()
                for _n in range(POOL):
                    spawn()
                continue
            # Else the oldest worker, once it is sending, at a random moment.
            name, proc = pool.pop(0)
            site.wait_for(
                "SELECT count(*) > 0 OR (SELECT count(*) FROM mailings_recipient "
                "WHERE state = 'pending') = 0 FROM mailings_recipient "
                "WHERE claimed_by = %s AND outcome = 'sent'",
                name,
                # A replacement takes the wake-up its killed predecessor queued, due within the
                # task's five seconds; the rest is the time a worker takes to start on a busy
                # machine.
                timeout=120,
            )
            _kill_after(proc, rng.uniform(0.0, 0.3))
            kills += 1
            spawn()
        assert kills >= 20, f"the mailing ended after {kills} kills"
        # The last of the pool die too; two workers at full speed finish the mailing.
        for _name, proc in pool:
            _kill_after(proc, rng.uniform(0.0, 0.3))
            kills += 1
        pool.clear()
        spawn(MAILINGS_RATE_PER_SECOND="0")
        spawn(MAILINGS_RATE_PER_SECOND="0")
        rows = _settled(site, mailing, sink)
    unknown = [r for r in rows if r[1] == "interrupted"]
    assert len(unknown) >= strikes, "each kill inside DATA leaves a row unknown"
    assert len(unknown) <= kills, "at most one row in flight per killed worker"

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
        env = {
            "EMAIL_URL": sink.url,
            "MAILINGS_TASK_SECONDS": "5",
            "PERIODIC_EVERY": "mailings.due=1",
        }
        mailing = int(site.shell(SCENARIO % RECIPIENTS))
        site.worker("--worker-id", "left", "--interval", "0.05", **env)
        site.worker("--worker-id", "right", "--interval", "0.05", **env)
        rows = _settled(site, mailing, sink)
    assert len(sink.accepted) == RECIPIENTS
    by_worker = Counter(claimed_by for *_rest, claimed_by in rows)
    assert set(by_worker) == {"left", "right"}, by_worker
