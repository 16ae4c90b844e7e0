"""The import wizard: upload, mapping with preview, dry run, confirm, result, skipped rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from pressdesk.accounts.models import Organisation, User
from pressdesk.contacts.importing import jobs
from pressdesk.contacts.models import ColumnMapping, Contact, ImportJob

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "/o/acme/contacts/import/"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class DiskWriter(TemporaryFileUploadHandler):
    """Django's handler that writes uploads to a temporary file, counting what it is given."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received.append(len(raw_data))
        return super().receive_data_chunk(raw_data, start)


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(client: Client, name: str, data: bytes | None = None, **fields: str) -> Any:
    content = data if data is not None else (FIXTURES / name).read_bytes()
    payload = {"file": SimpleUploadedFile(name, content), "mode": "skip", **fields}
    return client.post(BASE, payload)


@pytest.mark.django_db
def test_it_imports_a_file_in_three_steps(as_bob: Client, bob: User, media: Path) -> None:
    r = upload(
        as_bob,
        "excel_fr_cp1252.csv",
        list_name="Presse sportive",
        source_label="Fichier Cision 2024",
    )
    assert r.status_code == 302
    job = ImportJob.objects.get()
    assert r["Location"] == f"{BASE}{job.pk}/"
    assert job.status == ImportJob.PREVIEW and job.created_by == bob
    page = as_bob.get(r["Location"]).content.decode()
    assert "This was a dry run" in page
    assert "“marie@” is not a valid address" in page
    assert not Contact.objects.exists()

    r = as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.DONE and job.counts["created"] == 4
    assert job.target_list is not None and job.target_list.contacts.count() == 4
    assert Contact.objects.get(
        emails__email_normalised="helene.lefevre@lequipe.example"
    ).source_label == ("Fichier Cision 2024")
    # The uploaded bytes are gone once the import is done.
    assert not job.file and stored_files(media) == []
    page = as_bob.get(f"{BASE}{job.pk}/").content.decode()
    assert "Download these rows as CSV" in page

    r = as_bob.get(f"{BASE}{job.pk}/skipped.csv")
    assert r["Content-Disposition"] == 'attachment; filename="excel_fr_cp1252-skipped.csv"'
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Line", "Field", "Reason", "Nom"]
    assert rows[1][:6] == [
        "5",
        "Email",
        "“marie@” is not a valid address",
        "Dupont",
        "Marie",
        "Le Monde",
    ]


@pytest.mark.django_db
def test_a_double_confirm_imports_once(as_bob: Client) -> None:
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    assert Contact.objects.count() == 3


@pytest.mark.django_db
def test_all_or_nothing_can_be_changed_at_confirmation(as_bob: Client) -> None:
    upload(as_bob, "multiline.csv", mode="all")
    job = ImportJob.objects.get()
    page = as_bob.get(f"{BASE}{job.pk}/").content.decode()
    assert 'value="all" required id="id_mode_1" checked' in page
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "all"})
    job.refresh_from_db()
    assert job.counts["rolled_back"] is True and not Contact.objects.exists()
    assert "Nothing was imported" in as_bob.get(f"{BASE}{job.pk}/").content.decode()


@pytest.mark.django_db
def test_unknown_columns_go_through_the_mapping_step(as_bob: Client, org: Organisation) -> None:
    data = "Journaliste;Joignable à;Titre;Colonne X\nHélène Lefèvre;helene@example.org;L’Équipe;a\n"
    r = upload(as_bob, "maison.csv", data.encode())
    job = ImportJob.objects.get()
    assert r["Location"] == f"{BASE}{job.pk}/mapping/"
    assert as_bob.get(f"{BASE}{job.pk}/").status_code == 302
    page = as_bob.get(r["Location"]).content.decode()
    assert "not recognised" in page and "helene@example.org" in page

    r = as_bob.post(
        r["Location"], {"col_0": "full_name", "col_1": "email", "col_2": "outlet", "remember": "on"}
    )
    assert r.status_code == 400  # "Colonne X" was left without a choice
    r = as_bob.post(
        f"{BASE}{job.pk}/mapping/",
        {
            "col_0": "full_name",
            "col_1": "email",
            "col_2": "outlet",
            "col_3": "ignore",
            "remember": "on",
        },
    )
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.PREVIEW and job.counts["created"] == 1
    assert ColumnMapping.objects.get(org=org).mapping["Joignable à"] == "email"
    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    assert Contact.objects.get().positions.get().outlet.name == "L’Équipe"

    # The same columns again: the remembered mapping applies, no mapping step.
    r = upload(as_bob, "maison-2.csv", data.replace("helene@", "h2@").encode())
    assert r["Location"].endswith(f"{ImportJob.objects.latest('pk').pk}/")


@pytest.mark.django_db
def test_the_mapping_can_be_changed_after_the_dry_run(as_bob: Client) -> None:
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    r = as_bob.post(f"{BASE}{job.pk}/remap/")
    assert as_bob.get(r["Location"])["Location"] == f"{BASE}{job.pk}/mapping/"
    r = as_bob.get(f"{BASE}{job.pk}/mapping/")
    assert "Check what each column" in r.content.decode()


@pytest.mark.django_db
def test_cancel_deletes_the_job_and_the_file(as_bob: Client, media: Path) -> None:
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    assert stored_files(media)
    r = as_bob.post(f"{BASE}{job.pk}/cancel/")
    assert r.status_code == 302
    assert not ImportJob.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20, "NUL bytes"),
        ("vide.csv", b"", "empty"),
        ("entetes.csv", "Nom;Prénom;Email\n".encode(), "no rows"),
        ("nul.csv", b"Nom;Email\nDupont;d@example.org\x00\n", "NUL bytes"),
        ("vieux.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
        ("cartes.vcf", b"BEGIN:VCARD\nVERSION:3.0\nFN:Sans fin\n", "no END:VCARD"),
    ],
)
@pytest.mark.django_db
def test_hostile_files_get_a_clear_error_and_nothing_is_stored(
    as_bob: Client, media: Path, name: str, data: bytes, message: str
) -> None:
    r = upload(as_bob, name, data)
    if message == "no END:VCARD":
        # A damaged card is a skipped row, not a refused file: the others would still import.
        job = ImportJob.objects.get()
        assert message in as_bob.get(f"{BASE}{job.pk}/").content.decode()
        return
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ImportJob.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_50_mb_field_is_refused(as_bob: Client, media: Path, settings: Settings) -> None:
    settings.CONTACTS_IMPORT_MAX_BYTES = settings.FILE_UPLOAD_MAX_BYTES = 60 * 1024 * 1024
    r = upload(as_bob, "gros.csv", b'Nom;Notes\nDupont;"' + b"a" * (50 * 1024 * 1024) + b'"\n')
    assert r.status_code == 400
    assert "a cell is longer than" in r.content.decode()
    assert not ImportJob.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_while_it_streams_in(
    as_bob: Client, media: Path, settings: Settings, tmp_path: Path
) -> None:
    settings.FILE_UPLOAD_MAX_BYTES = 100_000
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000  # bigger uploads would go to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    DiskWriter.received = []
    handlers = settings.FILE_UPLOAD_HANDLERS[:-1]
    settings.FILE_UPLOAD_HANDLERS = [*handlers, f"{__name__}.DiskWriter"]
    r = upload(as_bob, "enorme.csv", b"Nom;Email\n" + b"Dupont;d@example.org\n" * 50_000)
    assert r.status_code == 400
    assert "too large" in r.content.decode()
    # Reading stopped at the limit: no more than that reached the disk.
    assert sum(DiskWriter.received) <= 100_000 + 65_536
    assert not ImportJob.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_an_xlsx_zip_bomb_is_refused(as_bob: Client, media: Path) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row>" + " " * 80_000_000 + "</row>")
    r = upload(as_bob, "bombe.xlsx", out.getvalue())
    assert r.status_code == 400 and "expands to" in r.content.decode()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_large_file_is_read_in_the_worker_not_in_the_request(
    as_bob: Client, settings: Settings, media: Path
) -> None:
    settings.CONTACTS_IMPORT_SYNC_BYTES = 1000
    # Damaged far down: finding out means reading the whole file, which is the worker's job.
    data = b"Nom;Email\n" + b"Dupont;d@example.org\n" * 100 + b'Durand;"' + b"x" * 200_000
    r = upload(as_bob, "long.csv", data + b'"\n')
    job = ImportJob.objects.get()
    assert r.status_code == 302 and job.status == ImportJob.PENDING
    jobs.run_step(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.FAILED and "a cell is longer" in job.error
    assert "a cell is longer" in as_bob.get(f"{BASE}{job.pk}/").content.decode()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_the_status_says_when_an_import_is_redone_or_interrupted(
    as_bob: Client, org: Organisation, bob: User
) -> None:
    job = ImportJob.objects.create(
        org=org, filename="a.csv", file_format="csv", status="running", state="pending", attempts=2
    )
    page = as_bob.get(f"{BASE}{job.pk}/status/").content.decode()
    assert "it is being done again from the start" in page
    ImportJob.objects.filter(pk=job.pk).update(state="interrupted")
    page = as_bob.get(f"{BASE}{job.pk}/status/").content.decode()
    assert "waits for a director's decision" in page


def test_large_files_run_in_the_worker(
    flushable_db: None, as_bob: Client, settings: Settings, media: Path
) -> None:
    # A transactional database: the task is enqueued on commit and the worker has its own
    # transactions, as in production.
    settings.CONTACTS_IMPORT_SYNC_BYTES = 10
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.PENDING
    status = as_bob.get(f"{BASE}{job.pk}/status/")
    assert 'hx-trigger="every 2s"' in status.content.decode()
    call_command("worker", "--until-idle", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.PREVIEW and job.counts["created"] == 3
    assert as_bob.get(f"{BASE}{job.pk}/status/")["HX-Refresh"] == "true"

    as_bob.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"})
    job.refresh_from_db()
    assert job.status == ImportJob.RUNNING
    call_command("worker", "--until-idle", stdout=io.StringIO(), stderr=io.StringIO())
    job.refresh_from_db()
    assert job.status == ImportJob.DONE and Contact.objects.count() == 3
    assert stored_files(media) == []


@pytest.mark.django_db
def test_abandoned_wizards_are_swept_with_their_files(as_bob: Client, media: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    upload(as_bob, "utf8_bom.csv")
    ImportJob.objects.update(created=timezone.now() - timedelta(days=2))
    upload(as_bob, "v30.vcf")
    assert ImportJob.objects.count() == 1 and len(stored_files(media)) == 1


@pytest.mark.django_db
def test_it_checks_ownership(as_charlie: Client, bob: User, as_bob: Client) -> None:
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    charlie = Client()
    charlie.force_login(
        User.objects.get(email="charlie@example.org"),
        backend="pressdesk.accounts.backends.EmailBackend",
    )
    for url in [
        "",
        f"{job.pk}/",
        f"{job.pk}/mapping/",
        f"{job.pk}/status/",
        f"{job.pk}/skipped.csv",
    ]:
        assert charlie.get(BASE + url).status_code == 404
    assert charlie.post(f"{BASE}{job.pk}/confirm/", {"mode": "skip"}).status_code == 404
    # Another organisation's job id, through one's own organisation: 404 too.
    assert charlie.get(f"/o/other/contacts/import/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_it_requires_the_edit_permission(as_vera: Client) -> None:
    assert as_vera.get(BASE).status_code == 403
    assert upload(as_vera, "utf8_bom.csv").status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_it_rejects_wrong_methods(as_bob: Client) -> None:
    upload(as_bob, "utf8_bom.csv")
    job = ImportJob.objects.get()
    assert as_bob.get(f"{BASE}{job.pk}/confirm/").status_code == 405
    assert as_bob.get(f"{BASE}{job.pk}/cancel/").status_code == 405
    assert as_bob.get(f"{BASE}{job.pk}/remap/").status_code == 405
    assert as_bob.post(f"{BASE}{job.pk}/").status_code == 405
    assert as_bob.post(f"{BASE}{job.pk}/skipped.csv").status_code == 405
    assert ImportJob.objects.get().status == ImportJob.PREVIEW


@pytest.mark.django_db
def test_the_job_page_names_fields_in_words_when_the_file_has_no_column_header(
    as_bob: Client, bob: User, org: Organisation
) -> None:
    bob.language = "fr"
    bob.save()
    job = ImportJob.objects.create(
        org=org,
        filename="cartes.vcf",
        file_format="vcard",
        status=ImportJob.DONE,
        counts={"rows": 2, "created": 0, "updated": 0, "skipped": 2},
        skipped=[
            {"line": 3, "field": "first_name", "column": "", "reason": "illisible"},
            {"line": 5, "field": "email", "column": "Courriel Pro", "reason": "illisible"},
        ],
    )
    page = as_bob.get(f"{BASE}{job.pk}/").content.decode()
    assert '<th scope="row">Ligne 3</th>' in page
    assert ">Prénom</td>" in page and ">Courriel Pro</td>" in page
    assert ">first_name<" not in page
