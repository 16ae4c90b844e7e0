"""`pressdesk contacts import|export|search|duplicates|merge`: call_command and a real process."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from pressdesk.accounts.models import AuditEntry, Organisation
from pressdesk.contacts import services
from pressdesk.contacts.importing import runner
from pressdesk.contacts.models import Contact, ContactList, MergeSuggestion
from pressdesk.contacts.models.optout import OptOutReason

FIXTURES = Path(__file__).parent / "fixtures"
PRESSDESK = str(Path(sys.executable).with_name("pressdesk"))


@pytest.fixture(autouse=True)
def _english() -> object:
    # These tests read the messages; an operator's CLI speaks their LANG, French by default.
    with translation.override("en"):
        yield


def contacts(*args: str) -> str:
    out = io.StringIO()
    call_command("contacts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_import_prints_json_with_each_skipped_row(org: Organisation) -> None:
    services.opt_out(org, "thao.nguyen@franceinfo.example", OptOutReason.OBJECTION)
    result = json.loads(contacts("import", str(FIXTURES / "excel_fr_cp1252.csv"), "--json"))
    assert result["counts"] | {"created": 3, "skipped": 2, "opted_out": 1} == result["counts"]
    assert [(s["line"], s["field"], s["reason"]) for s in result["skipped"]] == [
        (5, "email", "“marie@” is not a valid address"),
        (6, "email", "on the opt-out list"),
    ]
    assert result["skipped"][0]["row"]["Prénom"] == "Marie"
    assert Contact.objects.count() == 3
    entry = AuditEntry.objects.get(action="contacts.import")
    assert entry.actor is None and entry.actor_label.startswith("cli:")


@pytest.mark.django_db
def test_import_prints_a_summary(org: Organisation) -> None:
    text = contacts(
        "import",
        str(FIXTURES / "multiline.csv"),
        "--list",
        "Presse",
        "--source",
        "Migration Cision",
    )
    assert "created: 2" in text and "skipped: 1" in text
    assert "line 5, Email: “bad-address” is not a valid address" in text
    assert ContactList.objects.get(name="Presse").contacts.count() == 2
    assert set(Contact.objects.values_list("source_label", flat=True)) == {"Migration Cision"}


@pytest.mark.django_db
def test_dry_run_writes_nothing(org: Organisation) -> None:
    text = contacts("import", str(FIXTURES / "utf8_bom.csv"), "--dry-run")
    assert "created: 3" in text and "Dry run" in text
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.filter(action="contacts.import").exists()


@pytest.mark.django_db
def test_all_or_nothing_fails_and_changes_nothing(org: Organisation) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command(
            "contacts",
            "import",
            str(FIXTURES / "multiline.csv"),
            "--all-or-nothing",
            "--json",
            stdout=out,
        )
    assert json.loads(out.getvalue())["rolled_back"] is True
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_mapping_file_maps_unknown_columns(org: Organisation, tmp_path: Path) -> None:
    data = tmp_path / "maison.csv"
    data.write_text(
        "Journaliste;Joignable à\nHélène Lefèvre;helene@example.org\n", encoding="utf-8"
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Joignable à": "email", "Absente": "notes"}), encoding="utf-8")
    text = contacts("import", str(data), "--mapping", str(mapping))
    assert "created: 1" in text and "Absente" in text
    assert Contact.objects.get().emails.get().email == "helene@example.org"
    mapping.write_text(json.dumps({"Joignable à": "courriel"}), encoding="utf-8")
    with pytest.raises(CommandError, match="Unknown fields in the mapping: courriel"):
        contacts("import", str(data), "--mapping", str(mapping))


@pytest.mark.django_db
def test_an_unreadable_file_fails_with_its_reason(org: Organisation, tmp_path: Path) -> None:
    bad = tmp_path / "photo.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(CommandError, match="NUL bytes"):
        contacts("import", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        contacts("import", str(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_a_file_over_the_row_limit_fails_before_any_row_is_read(
    org: Organisation, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CONTACTS_IMPORT_MAX_ROWS = 10
    checked: list[int] = []
    validate = runner.validate
    monkeypatch.setattr(
        runner, "validate", lambda line, *a, **k: checked.append(line) or validate(line, *a, **k)
    )
    big = tmp_path / "big.csv"
    big.write_text("Nom;Email\n" + "".join(f"N{n};n{n}@example.org\n" for n in range(30)))
    with pytest.raises(CommandError, match="more than 10 rows"):
        contacts("import", str(big))
    assert checked == [] and not Contact.objects.exists()


@pytest.mark.django_db
def test_it_needs_an_organisation_when_there_are_several(
    org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(CommandError, match="acme, other"):
        contacts("import", str(FIXTURES / "v30.vcf"))
    contacts("import", str(FIXTURES / "v30.vcf"), "--org", "other")
    assert Contact.objects.filter(org=other_org).count() == 2
    assert not Contact.objects.filter(org=org).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "vcard"])
def test_export_writes_a_file_and_is_audited(
    org: Organisation, tmp_path: Path, file_format: str
) -> None:
    contacts("import", str(FIXTURES / "utf8_bom.csv"))
    target = tmp_path / f"out.{file_format}"
    contacts("export", "--format", file_format, "--output", str(target))
    data = target.read_bytes()
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(target).worksheets[0]
        assert sheet.max_row == 4
    else:
        assert "Siobhán".encode() in data
    entry = AuditEntry.objects.get(action="contacts.export")
    # The file's name, not its path on the server.
    assert entry.data == {
        "format": file_format,
        "count": 3,
        "scope": "all",
        "file": f"out.{file_format}",
    }
    assert entry.actor_label.startswith("cli:")


@pytest.mark.django_db
def test_export_of_a_list_to_standard_output(org: Organisation) -> None:
    contacts("import", str(FIXTURES / "utf8_bom.csv"), "--list", "Énergie")
    contacts("import", str(FIXTURES / "v30.vcf"))
    text = contacts("export", "--list", "énergie", "--delimiter", ",")
    assert text.startswith('\ufeff"First name",')
    assert text.count("\r\n") == 4
    with pytest.raises(CommandError, match="no list named Absente"):
        contacts("export", "--list", "Absente")
    with pytest.raises(CommandError, match="standard output"):
        contacts("export", "--format", "xlsx")


@pytest.mark.django_db
def test_search_prints_matches(org: Organisation) -> None:
    contacts("import", str(FIXTURES / "excel_fr_cp1252.csv"))
    result = json.loads(contacts("search", "helene", "--json"))
    assert result["count"] == 1
    assert result["results"][0]["name"] == "Hélène Lefèvre"
    assert result["results"][0]["emails"] == ["helene.lefevre@lequipe.example"]
    text = contacts("search", "equipe")
    assert "Hélène Lefèvre — L’Équipe — helene.lefevre@lequipe.example" in text


@pytest.mark.django_db
def test_duplicates_adds_suggestions(org: Organisation, tmp_path: Path) -> None:
    data = tmp_path / "doublons.csv"
    data.write_text(
        "Prénom;Nom;Média;Email\nHélène;Lefèvre;AFP;a@example.org\nHelene;Lefevre;AFP;b@example.org\n"
    )
    contacts("import", str(data))
    MergeSuggestion.objects.all().delete()
    assert "1 new possible duplicates" in contacts("duplicates")


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("contacts-cli-var")
    for args in (["migrate", "-v0"], ["org", "create", "Acme Énergie", "--slug", "acme"]):
        done = run(var, *args)
        assert done.returncode == 0, done.stderr
    return var


def run(var: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "PRESSDESK_ORG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(PRESSDESK_VAR=str(var), LANG="C.UTF-8")
    return subprocess.run([PRESSDESK, *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_pressdesk_command_imports_and_exports(migrated: Path, tmp_path: Path) -> None:
    var = tmp_path / "var"
    shutil.copytree(migrated, var)
    done = run(var, "contacts", "import", str(FIXTURES / "excel_fr_cp1252.csv"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["counts"]["created"] == 4 and result["skipped"][0]["line"] == 5
    assert done.stderr == ""  # no progress bar when not on a terminal
    done = run(var, "--org", "acme", "contacts", "export", "--format", "vcard")
    assert done.returncode == 0 and done.stdout.count("BEGIN:VCARD") == 4
    done = run(var, "contacts", "import", str(FIXTURES / "multiline.csv"), "--all-or-nothing")
    assert done.returncode == 1 and "Nothing was imported" in done.stderr
    done = run(var, "contacts", "import", "/nonexistent.csv")
    assert done.returncode == 1
    done = run(var, "contacts", "import")
    assert done.returncode == 2


@pytest.fixture
def twins(org: Organisation) -> tuple[Contact, Contact]:
    older = Contact.objects.create(
        org=org, first_name="Léa", last_name="Aubert", job_title="Pigiste"
    )
    newer = Contact.objects.create(
        org=org, first_name="Lea", last_name="Aubert", job_title="Rédactrice en chef"
    )
    return older, newer


@pytest.mark.django_db
def test_merge_keeps_the_first_contact_and_is_audited(twins: tuple[Contact, Contact]) -> None:
    older, newer = twins
    text = contacts("merge", str(newer.pk), str(older.pk))
    assert text.strip() == f"Contact {older.pk} merged into {newer.pk} (Lea Aubert)."
    kept = Contact.objects.get()
    assert (kept.pk, kept.first_name, kept.job_title) == (newer.pk, "Lea", "Rédactrice en chef")
    entry = AuditEntry.objects.get(action="contacts.merge")
    assert entry.actor is None and entry.actor_label.startswith("cli:")
    assert entry.data["merged_id"] == older.pk and entry.data["chosen"] == []


@pytest.mark.django_db
def test_merge_prefers_the_other_contacts_values_and_prints_json(
    twins: tuple[Contact, Contact],
) -> None:
    older, newer = twins
    result = json.loads(
        contacts("merge", str(older.pk), str(newer.pk), "--prefer", "other", "--json")
    )
    assert (result["id"], result["merged_id"], result["name"]) == (older.pk, newer.pk, "Lea Aubert")
    assert Contact.objects.get().job_title == "Rédactrice en chef"
    assert AuditEntry.objects.get(action="contacts.merge").data["chosen"] == [
        "first_name",
        "job_title",
    ]


@pytest.mark.django_db
def test_merge_fails_on_an_unknown_or_the_same_contact(twins: tuple[Contact, Contact]) -> None:
    older, _newer = twins
    with pytest.raises(CommandError, match="no longer exists"):
        contacts("merge", str(older.pk), "999999")
    with pytest.raises(CommandError, match="with itself"):
        contacts("merge", str(older.pk), str(older.pk))
    assert Contact.objects.count() == 2
