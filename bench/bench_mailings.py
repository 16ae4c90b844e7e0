"""The mailing engine: messages per second through real `pressdesk worker` processes, and the
time to freeze a large ledger.

- **Sending**: N personalised messages of about 10 KB (merge fields, text and HTML parts,
  List-Unsubscribe…) to a loopback aiosmtpd sink running in a child process, with 1 and then 2
  workers. The rate is (N - 1) over the time between the first and the last `sent_at` of the
  ledger (sustained, start-up excluded). Baselines in this process, over the same messages: a
  bare smtplib loop on one connection (the floor: no database, messages already built) and
  building one `EmailMessage` per message (Composer.message). The workers' CPU per message and
  peak resident memory (VmHWM) are read from /proc before they stop.
- **Freeze**: ledger.freeze of a mailing to a saved segment of C contacts; baseline: one
  bulk_create of as many Recipient rows (the write alone).

    .venv/bin/python bench/bench_mailings.py                          # SQLite
    .venv/bin/python bench/bench_mailings.py --postgres
    .venv/bin/python bench/bench_mailings.py --messages 10000 --freeze 100000 --workers 1,2
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import harness
from harness import Figure, log

PRESSDESK = str(Path(sys.executable).parent / "pressdesk")
TICKS = os.sysconf("SC_CLK_TCK")
PARAGRAPH = (
    "{{ first_name }}, la centrale solaire de Saint-Nazaire entre en service ce printemps : "
    "elle alimentera 40 000 foyers de la région, et le chantier a employé 300 personnes "
    "pendant dix-huit mois. Nous vous proposons une visite du site avec l'équipe technique, "
    "les élus et les riverains qui ont suivi le projet depuis l'enquête publique. "
)


def run_sink(port: Any, stop: Any, count: Any) -> None:
    """A child process: the loopback SMTP server, counting what it accepts."""
    from pressdesk.mailings.testing import smtp_sink

    with smtp_sink(keep_messages=False) as sink:

        def counted(_rcpt: str, total: int) -> None:
            count.value = total

        sink.on_accept = counted
        port.value = sink.port
        stop.wait()


def body_of_about(kilobytes: int) -> str:
    """A Markdown body that makes a message of about this size (text and HTML parts)."""
    paragraphs = max(1, kilobytes * 1024 // (2 * len(PARAGRAPH) + 40))
    return "Bonjour {{ first_name }},\n\n" + "\n\n".join(
        f"**{n}.** {PARAGRAPH}" for n in range(paragraphs)
    )


def audience(org: Any, count: int, kind: str = "journalist") -> Any:
    """`count` contacts in a static list (written in bulk)."""
    from pressdesk.contacts.models import Contact, ContactEmail, ContactList, ListMembership

    made = Contact.objects.bulk_create(
        [
            Contact(org=org, first_name=f"Prénom{n}", last_name=f"Nom{n}", kind=kind)
            for n in range(count)
        ],
        batch_size=5000,
    )
    ContactEmail.objects.bulk_create(
        [
            ContactEmail(
                org=org,
                contact=c,
                email=f"{kind[:3]}{n}@exemple.fr",
                email_normalised=f"{kind[:3]}{n}@exemple.fr",
                is_primary=True,
            )
            for n, c in enumerate(made)
        ],
        batch_size=5000,
    )
    press = ContactList.objects.create(org=org, name=f"Presse {kind} {count}")
    ListMembership.objects.bulk_create(
        [ListMembership(contact_list=press, contact=c) for c in made], batch_size=5000
    )
    return press


def new_mailing(org: Any, user: Any, lists: list[Any], subject: str) -> Any:
    from pressdesk.mailings import services

    return services.create_mailing(
        org,
        user,
        kind="free",
        subject=subject + " pour {{ first_name }}",
        body=body_of_about(7),
        sender_name="Service de presse Acme",
        sender_email="presse@acme.fr",
        reply_to="presse@acme.fr",
        lists=lists,
    )


def baselines(mailing: Any, port: int) -> tuple[float, float, float, float]:
    """(bare smtplib messages/s, EmailMessage builds/s, mean message size, bare smtplib CPU ms
    per message) over the ledger."""
    from pressdesk.mailings import ledger
    from pressdesk.mailings.compose import Composer
    from pressdesk.mailings.models import Recipient

    ledger.freeze(mailing)
    rows = list(Recipient.objects.filter(mailing=mailing).order_by("pk"))
    composer = Composer(mailing)
    sending = building = sending_cpu = 0.0
    size = 0
    conn = smtplib.SMTP("127.0.0.1", port)
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        composer.prepare(chunk)
        t0 = time.perf_counter()
        for row in chunk:
            composer.message(row)
        building += time.perf_counter() - t0
        rendered = [composer.render(row) for row in chunk]
        size += sum(len(r.data) for r in rendered)
        t0, c0 = time.perf_counter(), time.process_time()
        for r in rendered:
            conn.sendmail(r.sender, [r.to], r.data)
        sending += time.perf_counter() - t0
        sending_cpu += time.process_time() - c0
    conn.quit()
    return (
        len(rows) / sending,
        len(rows) / building,
        size / len(rows),
        1000 * sending_cpu / len(rows),
    )


def proc_stats(pid: int) -> tuple[float, int]:
    """(CPU seconds, peak resident KB) of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    peak = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            peak = int(line.split()[1])
    return cpu, peak


def send_with_workers(
    db: harness.BenchDatabase, org: Any, user: Any, press: Any, workers: int, port: int
) -> dict[str, float]:
    """Start the workers, then the mailing; wait until every row is sent."""
    from django.db.models import Max, Min

    from pressdesk.mailings import services
    from pressdesk.mailings.models import Recipient
    from pressdesk.work.models import WorkerHeartbeat

    WorkerHeartbeat.objects.all().delete()
    env = {**os.environ, **db.env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    procs = [
        subprocess.Popen(
            [PRESSDESK, "worker", "--interval", "0.05", "--worker-id", f"bench-{n}", "-v0"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    try:
        while WorkerHeartbeat.objects.count() < workers:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker did not start")
            time.sleep(0.05)
        mailing = new_mailing(org, user, [press], f"{workers} worker(s)")
        t0 = time.perf_counter()
        services.start(mailing, user)
        rows = Recipient.objects.filter(mailing=mailing)
        total = rows.count()
        while rows.filter(outcome="sent").count() < total:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a worker died")
            time.sleep(0.2)
        wall = time.perf_counter() - t0
        stats = [proc_stats(p.pid) for p in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=120)
    span = rows.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    sustained = (total - 1) / (span["last"] - span["first"]).total_seconds()
    return {
        "rate": sustained,
        "wall_rate": total / wall,
        "cpu_ms_per_message": 1000 * sum(c for c, _p in stats) / total,
        "peak_mb": max(p for _c, p in stats) / 1024,
    }


def freeze_figures(org: Any, user: Any, count: int) -> Figure:
    """ledger.freeze of a saved segment of `count` contacts, against a bare bulk insert."""
    from django.db import transaction

    from pressdesk.contacts.models import ContactList
    from pressdesk.mailings import ledger
    from pressdesk.mailings.models import Recipient

    log(f"freeze: writing {count} contacts for the segment")
    audience(org, count, kind="freelance")
    segment = ContactList.objects.create(
        org=org, name="Pigistes", kind=ContactList.SEGMENT, filters={"kind": ["freelance"]}
    )
    mailing = new_mailing(org, user, [segment], "Gel")
    t0, c0 = time.perf_counter(), time.process_time()
    frozen = ledger.freeze(mailing)
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    assert frozen == count, frozen
    # The floor: the same number of rows written by one bulk_create, nothing resolved.
    floor_mailing = new_mailing(org, user, [segment], "Plancher")
    rows = [
        Recipient(
            org=org,
            mailing=floor_mailing,
            contact_id=r.contact_id,
            address=r.address,
            address_key=r.address_key,
            name=r.name,
        )
        for r in Recipient.objects.filter(mailing=mailing).only(
            "contact_id", "address", "address_key", "name"
        )
    ]
    t0 = time.perf_counter()
    with transaction.atomic():
        Recipient.objects.bulk_create(rows, batch_size=5000)
    floor = time.perf_counter() - t0
    return Figure(
        f"freeze {count} recipients (segment)",
        took,
        "s",
        floor,
        "bulk insert of the rows",
        target=20.0,
        extra={"cpu_s": cpu},
    )


def sending_figures(
    db: harness.BenchDatabase, org: Any, user: Any, backend: str, args: argparse.Namespace
) -> list[Figure]:
    """The send rates with 1 and 2 workers, against a sink in a child process."""
    figures: list[Figure] = []
    context = multiprocessing.get_context("fork")
    port, count, stop = context.Value("i", 0), context.Value("i", 0), context.Event()
    sink = context.Process(target=run_sink, args=(port, stop, count), daemon=True)
    sink.start()
    try:
        while not port.value:
            time.sleep(0.05)
        log(f"[{backend}] {args.messages} contacts")
        press = audience(org, args.messages)
        log(f"[{backend}] baselines in process")
        base_mailing = new_mailing(org, user, [press], "Référence")
        bare, build, size, bare_cpu = baselines(base_mailing, port.value)
        for workers in args.workers:
            log(f"[{backend}] {workers} worker(s): {args.messages} messages")
            found = send_with_workers(db, org, user, press, workers, port.value)
            target = 150.0 if workers == 1 else 250.0
            figures.append(
                Figure(
                    f"send, {workers} worker(s)",
                    found["rate"],
                    "/s",
                    bare,
                    "bare smtplib loop",
                    backend=backend,
                    extra={
                        "target_at_least": target,
                        "x_build_EmailMessage": found["rate"] / build,
                        "wall_rate": found["wall_rate"],
                        "cpu_ms_per_msg": found["cpu_ms_per_message"],
                        "bare_cpu_ms_per_msg": bare_cpu,
                        "loadavg": Path("/proc/loadavg").read_text().split()[0],
                        "worker_peak_MB": found["peak_mb"],
                        "msg_KB": size / 1024,
                    },
                )
            )
        figures.append(
            Figure(
                "build EmailMessage (Composer.message)",
                build,
                "/s",
                bare,
                "bare smtplib loop",
                backend=backend,
            )
        )
    finally:
        stop.set()
        sink.join(timeout=30)
    return figures


def run(backend: str, args: argparse.Namespace) -> list[Figure]:
    figures: list[Figure] = []
    with harness.django_on(harness.new_database(backend, "pressdesk_bench_mailings")) as db:
        org, user = harness.org_and_user()
        if args.messages:
            figures += sending_figures(db, org, user, backend, args)
        if args.freeze:
            figure = freeze_figures(org, user, args.freeze)
            figure.backend = backend
            figures.append(figure)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--messages", type=int, default=10000)
    parser.add_argument("--freeze", type=int, default=100000, help="0 to skip")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    args.workers = [int(n) for n in args.workers.split(",") if n.strip()]
    backend = "postgres" if args.postgres else "sqlite"
    harness.report(run(backend, args), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
