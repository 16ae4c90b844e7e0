"""Composing a mailing: personalised ~10 KB messages built per second on one core.

A release mailing (whole release inline, French typography, merge fields in subject and body) to
N contacts with a position and beats, a ledger row each. Timed in CPU seconds (process_time):
- `render` — Composer.render(): the SMTP bytes the engine sends, after prepare() per batch of 100
  (the contacts' merge values are read in three queries per batch; their time is included);
- `message+bytes` — Composer.message() then as_bytes(), the EmailMessage route;
The baseline, in this process over the same texts: building a stdlib EmailMessage the usual way
(set_content + add_alternative, headers through the policy) and serialising it.

    .venv/bin/python bench/bench_compose.py [--messages 3000] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import time
from email.message import EmailMessage
from email.policy import SMTP

import harness

BATCH = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    db = harness.new_database("postgres" if args.postgres else "sqlite", "pressdesk_bench_compose")
    with harness.django_on(db):
        run(args.messages)


def run(count: int) -> None:
    from pressdesk.contacts.models import Contact, ContactEmail
    from pressdesk.contacts.models.contacts import Position
    from pressdesk.contacts.models.outlets import Outlet
    from pressdesk.contacts.services import beat
    from pressdesk.mailings.compose import Composer
    from pressdesk.mailings.models import Mailing, Recipient
    from pressdesk.releases.tests.newsroom_data import release

    org, user = harness.org_and_user()
    paragraph = (
        "La centrale de Saint-Nazaire ouvre ses portes au public le 3 mars à 14h30 : visites "
        "guidées, ateliers et conférences ! Les équipes présenteront leurs métiers. "
    )
    body_html = "".join(f"<p>{paragraph * 2}</p>" for _ in range(10))
    made = release(org, body_html=body_html)
    mailing = Mailing.objects.for_org(org).create(
        org=org,
        kind="release",
        release=made,
        subject="{{ outlet }} : notre communiqué",
        body="{{ greeting }},\n\nVoici notre communiqué pour la rubrique {{ beat }}.",
        sender_name="Service presse",
        sender_email="presse@acme.example",
        created_by=user,
    )
    harness.log(f"creating {count} contacts…")
    outlet = Outlet.objects.for_org(org).create(org=org, name="Ouest-France")
    energy = beat(org, "énergie")
    contacts = Contact.objects.for_org(org).bulk_create(
        [Contact(org=org, first_name=f"Jeanne{n}", last_name="Dupré") for n in range(count)]
    )
    ContactEmail.objects.for_org(org).bulk_create(
        [ContactEmail(org=org, contact=c, email=f"j{c.pk}@example.org") for c in contacts]
    )
    Position.objects.bulk_create(
        [Position(contact=c, outlet=outlet, title="Rédactrice") for c in contacts]
    )
    Contact.beats.through.objects.bulk_create(
        [Contact.beats.through(contact_id=c.pk, beat_id=energy.pk) for c in contacts]
    )
    rows = Recipient.objects.for_org(org).bulk_create(
        [
            Recipient(
                org=org,
                mailing=mailing,
                contact=c,
                address=f"j{c.pk}@example.org",
                address_key=f"j{c.pk}@example.org",
                name=c.full_name,
            )
            for c in contacts
        ]
    )
    rows = list(Recipient.objects.for_org(org).filter(mailing=mailing).order_by("pk"))

    composer = Composer(mailing)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        def loop() -> None:
            for at in range(0, len(rows), BATCH):
                composer.prepare(rows[at : at + BATCH])
                for row in rows[at : at + BATCH]:
                    composer.render(row)

        cProfile.runctx("loop()", globals(), {"loop": loop}, "/tmp/compose.prof")
        pstats.Stats("/tmp/compose.prof").sort_stats("tottime").print_stats(20)
        return
    start = time.process_time()
    sizes = 0
    for at in range(0, len(rows), BATCH):
        batch = rows[at : at + BATCH]
        composer.prepare(batch)
        for row in batch:
            sizes += len(composer.render(row).data)
    render_cpu = time.process_time() - start

    composer = Composer(mailing)
    start = time.process_time()
    for at in range(0, len(rows), BATCH):
        batch = rows[at : at + BATCH]
        composer.prepare(batch)
        for row in batch:
            composer.message(row).as_bytes()
    message_cpu = time.process_time() - start

    sample = Composer(mailing)
    texts = [sample.preview(c) for c in contacts[:50]]
    start = time.process_time()
    for n in range(count):
        preview = texts[n % len(texts)]
        msg = EmailMessage(policy=SMTP)
        msg["From"] = "Service presse <presse@acme.example>"
        msg["To"] = f"Jeanne{n} Dupré <j{n}@example.org>"
        msg["Subject"] = preview.subject
        msg["Message-ID"] = f"<m1.r{n}@acme.example>"
        msg.set_content(preview.text)
        msg.add_alternative(preview.html, subtype="html")
        msg.as_bytes()
    base_cpu = time.process_time() - start

    base = count / base_cpu
    for name, cpu in (("render (bytes)", render_cpu), ("message() + as_bytes()", message_cpu)):
        rate = count / cpu
        print(
            f"{name:<24} {rate:>8.0f} msg/s CPU = {rate / base:5.1f} × stdlib EmailMessage "
            f"build+serialise ({base:.0f} msg/s)"
        )
    print(f"mean message size {sizes / count / 1024:.1f} KB over {count} messages")


if __name__ == "__main__":
    main()
