"""Set-ups that the durability tests run inside `pressdesk shell -c`, in the tested database."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from pressdesk.accounts.models import Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.contacts.importing import jobs
from pressdesk.contacts.models import ImportJob


def press_file_csv(rows: int) -> bytes:
    """A CSV of `rows` distinct journalists."""
    lines = ["first_name,last_name,email,job_title"]
    lines += [f"Prénom{i},Nom{i},journaliste{i}@exemple.fr,Rédacteur" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def director() -> tuple[Organisation, User]:
    """An organisation and its director."""
    org, _ = Organisation.objects.get_or_create(slug="acme", defaults={"name": "Acme"})
    user = User.objects.filter(email="dora@example.org").first() or User.objects.create_user(
        "dora@example.org", "a long enough password", full_name="Dora"
    )
    Membership.objects.get_or_create(org=org, user=user, defaults={"role": Role.DIRECTOR})
    return org, user


def import_job(rows: int, *, confirmed: bool, wake: bool = True) -> int:
    """An import of `rows` contacts waiting for a worker: its dry run, or (confirmed) the import.

    Without `wake`, the row is committed pending with no task, as after a crash between the commit
    and the enqueue.
    """
    org, user = director()
    upload = SimpleUploadedFile("journalistes.csv", press_file_csv(rows), "text/csv")
    job, _source = jobs.start(org, upload, by=user)
    if confirmed:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.PREVIEW)
        assert jobs.claim(job)
        job.refresh_from_db()
    if wake:
        with override_settings(CONTACTS_IMPORT_SYNC_BYTES=0):
            assert not jobs.run_soon(job)
    else:
        ImportJob.objects.filter(pk=job.pk).update(state="pending")
    return job.pk


def notices(count: int) -> int:
    """`count` imported contacts, and the bulk send of their information notice, queued."""
    from pressdesk.contacts import gdpr
    from pressdesk.contacts.models import Contact, ContactEmail

    org, user = director()
    for n in range(count):
        contact = Contact.objects.create(
            org=org, first_name=f"P{n}", last_name="Presse", source_kind="import"
        )
        ContactEmail.objects.create(
            contact=contact, org=org, email=f"p{n}@exemple.fr", email_normalised=f"p{n}@exemple.fr"
        )
    return gdpr.queue_notices(org, by=user)
