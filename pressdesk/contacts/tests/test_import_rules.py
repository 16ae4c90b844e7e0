"""The import's rules: bad rows, modes, duplicates, opt-out, provenance, lists, audit, dry run."""

from __future__ import annotations

import pytest

from pressdesk.accounts.models import AuditEntry, Organisation, User
from pressdesk.contacts import services
from pressdesk.contacts.importing import ImportOptions, run_import, runner
from pressdesk.contacts.models import (
    ColumnMapping,
    Contact,
    ContactEmail,
    ContactList,
    FieldChange,
    MergeSuggestion,
    Outlet,
)
from pressdesk.contacts.models.optout import OptOutReason

HEADER = "Prénom;Nom;Média;Email;Téléphone;Rubrique\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def run(org: Organisation, data: bytes, **options: object) -> object:
    return run_import(org, data, "presse.csv", ImportOptions(**options))  # type: ignore[arg-type]


@pytest.mark.django_db
def test_bad_rows_are_reported_with_line_field_and_reason(org: Organisation) -> None:
    result = run(
        org,
        csv(
            "Hélène;Lefèvre;L’Équipe;helene@example.org;;Sport",
            "Marie;Dupont;Le Monde;marie@;;",
            ";;;;;",
            ";;Le Monde;;01 02 03 04 05;",
            f"{'x' * 150};Long;;long@example.org;;",
        ),
    )
    problems = [(p.line, p.field, p.reason) for p in result.skipped]
    assert problems[0] == (3, "email", "“marie@” is not a valid address")
    assert problems[1] == (5, "", "no name and no email address")
    assert problems[2][:2] == (6, "first_name")
    assert result.skipped[0].column == "Email"
    assert result.skipped[0].row["Nom"] == "Dupont"
    assert result.counts == result.counts | {"created": 1, "skipped": 3}
    assert Contact.objects.filter(org=org).count() == 1


@pytest.mark.django_db
def test_all_or_nothing_leaves_the_database_unchanged(org: Organisation) -> None:
    result = run(
        org,
        csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;Sport", "Marie;Dupont;Le Monde;marie@;;"),
        all_or_nothing=True,
        list_name="Presse sportive",
    )
    assert result.rolled_back
    assert result.counts["created"] == 0
    assert [(p.line, p.field) for p in result.skipped] == [(3, "email")]
    assert not Contact.objects.exists()
    assert not Outlet.objects.exists()
    assert not ContactList.objects.exists()
    assert AuditEntry.objects.get(action="contacts.import").data["rolled_back"] is True


@pytest.mark.django_db
def test_all_or_nothing_imports_a_clean_file(org: Organisation) -> None:
    result = run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;Sport"), all_or_nothing=True)
    assert not result.rolled_back
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_an_opted_out_address_is_never_recreated(org: Organisation) -> None:
    services.opt_out(org, "Marie.Dupont@Example.org", OptOutReason.ERASURE)
    result = run(
        org,
        csv(
            "Marie;Dupont;Le Monde;marie.dupont@example.org;;", "Paul;Martin;AFP;paul@example.org;;"
        ),
    )
    assert result.counts["opted_out"] == 1
    assert [(p.line, p.reason) for p in result.skipped] == [(2, "on the opt-out list")]
    assert not ContactEmail.objects.filter(email_normalised="marie.dupont@example.org").exists()
    # Not even in all-or-nothing mode, where it does not block the others.
    result = run(org, csv("Marie;Dupont;Le Monde;MARIE.DUPONT@example.org;;"), all_or_nothing=True)
    assert not result.rolled_back and result.counts["opted_out"] == 1
    assert not ContactEmail.objects.filter(email_normalised="marie.dupont@example.org").exists()


@pytest.mark.django_db
def test_an_opted_out_existing_contact_is_not_updated(org: Organisation) -> None:
    run(org, csv("Marie;Dupont;Le Monde;marie@example.org;;"))
    services.opt_out(org, "marie@example.org", OptOutReason.UNSUBSCRIBE)
    result = run(org, csv("Marie;Dupont;Libération;marie@example.org;;"), list_name="Relance")
    assert result.counts["updated"] == 0 and result.counts["opted_out"] == 1
    assert not ContactList.objects.get(name="Relance").contacts.exists()


@pytest.mark.django_db
def test_reimport_updates_instead_of_duplicating(org: Organisation, alice: User) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;01 40 93 20 20;Sport"))
    result = run(
        org,
        csv("Hélène;Lefèvre-Martin;L'Equipe;HELENE@example.org;06 12 34 56 78;Sport, Cyclisme"),
        source_label="Annuaire 2025",
        by=alice,
    )
    assert result.counts["updated"] == 1 and result.counts["created"] == 0
    helene = Contact.objects.get()
    assert helene.last_name == "Lefèvre-Martin"
    assert helene.emails.count() == 1
    assert helene.phones.count() == 2
    # "L'Equipe" is the same outlet as "L’Équipe".
    assert Outlet.objects.count() == 1 and helene.positions.count() == 1
    assert sorted(b.name for b in helene.beats.all()) == ["Cyclisme", "Sport"]
    change = FieldChange.objects.get(contact=helene, field="last_name")
    assert (change.old_value, change.new_value) == ("Lefèvre", "Lefèvre-Martin")
    assert (change.source_kind, change.source_label, change.changed_by) == (
        "import",
        "Annuaire 2025",
        alice,
    )
    assert FieldChange.objects.filter(
        contact=helene, field="phone", new_value="+33612345678"
    ).exists()
    # The original provenance stays: the contact came from the first file.
    assert helene.source_label == "presse.csv"


@pytest.mark.django_db
def test_emails_differing_in_case_are_one_contact(org: Organisation) -> None:
    result = run(
        org,
        csv(
            "Zoë;Smith;Reuters;Zoe.Smith@Reuters.example;;Markets",
            "Zoe;Smith;Reuters;zoe.smith@reuters.EXAMPLE;;Energy",
        ),
    )
    assert (result.counts["created"], result.counts["merged"]) == (1, 1)
    zoe = Contact.objects.get()
    assert zoe.emails.count() == 1
    assert sorted(b.name for b in zoe.beats.all()) == ["Energy", "Markets"]


@pytest.mark.django_db
def test_rows_of_one_file_about_one_person_merge(org: Organisation) -> None:
    rows = [f"P{n};N{n};Outlet {n};p{n}@example.org;;" for n in range(1500)]
    # The same person, the name with a typo.
    rows.append("P10;N10x;Outlet 10;P10@EXAMPLE.org;06 11 22 33 44;Beat")
    result = run(org, csv(*rows))
    assert (result.counts["created"], result.counts["merged"]) == (1500, 1)
    # The duplicate row came after the first chunk had been written: it updated that contact,
    # filling blanks only.
    p10 = Contact.objects.get(emails__email_normalised="p10@example.org")
    assert p10.last_name == "N10"
    assert p10.phones.get().e164 == "+33611223344"


@pytest.mark.django_db
def test_a_row_without_email_matches_the_same_name_at_the_same_outlet(org: Organisation) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;"))
    result = run(org, csv("Hélène;Lefèvre;L’Équipe;;06 12 34 56 78;"))
    assert result.counts["updated"] == 1
    assert Contact.objects.get().phones.get().e164 == "+33612345678"


@pytest.mark.django_db
def test_a_similar_name_at_the_same_outlet_becomes_a_suggestion(org: Organisation) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;"))
    result = run(
        org,
        csv(
            "Helene;Lefevre;L'Équipe;h.lefevre@gmail.example;;",
            "Hélène;Lefèvre;Le Monde;hl@lemonde.example;;",
        ),
    )
    assert result.counts["created"] == 2 and result.counts["suggestions"] == 1
    suggestion = MergeSuggestion.objects.get()
    first = Contact.objects.get(emails__email_normalised="helene@example.org")
    second = Contact.objects.get(emails__email_normalised="h.lefevre@gmail.example")
    assert (suggestion.contact_a, suggestion.contact_b) == (first, second)
    assert suggestion.score == 100 and "L’Équipe" in suggestion.reason


@pytest.mark.django_db
def test_everyone_goes_into_the_chosen_list(org: Organisation) -> None:
    existing = ContactList.objects.create(org=org, name="Presse sportive")
    run(
        org,
        csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;", "Paul;Martin;AFP;paul@example.org;;"),
        list_name="presse SPORTIVE",
    )
    assert sorted(c.first_name for c in existing.contacts.all()) == ["Hélène", "Paul"]
    assert ContactList.objects.count() == 1
    assert existing.memberships.first().source == "presse.csv"


@pytest.mark.django_db
def test_the_import_is_audit_logged(org: Organisation, alice: User) -> None:
    run(
        org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;", "Marie;Dupont;;marie@;;"), by=alice
    )
    entry = AuditEntry.objects.get(action="contacts.import")
    assert entry.actor == alice and entry.org == org
    assert entry.data["counts"]["created"] == 1 and entry.data["counts"]["skipped"] == 1
    assert entry.data["file"] == "presse.csv"


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(org: Organisation) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;"))
    result = run(
        org,
        csv(
            "Hélène;Lefèvre;L’Équipe;helene@example.org;;",
            "Paul;Martin;AFP;paul@example.org;;",
            "Paul;M;AFP;PAUL@example.org;;",
        ),
        dry_run=True,
        list_name="Nouvelle liste",
    )
    assert (result.counts["updated"], result.counts["created"], result.counts["merged"]) == (
        1,
        1,
        1,
    )
    assert Contact.objects.count() == 1
    assert not ContactList.objects.exists()
    assert not AuditEntry.objects.filter(action="contacts.import").count() > 1


@pytest.mark.django_db
def test_a_given_mapping_wins_and_a_remembered_one_applies(org: Organisation) -> None:
    data = (
        "Journaliste;Joignable à;Où publie\nHélène Lefèvre;helene@example.org;L’Équipe\n"
    ).encode()
    result = run(org, data, mapping={"joignable a": "email", "Où publie": "outlet"})
    assert result.counts["created"] == 1
    helene = Contact.objects.get()
    assert (helene.first_name, helene.last_name) == ("Hélène", "Lefèvre")
    assert helene.positions.get().outlet.name == "L’Équipe"
    from pressdesk.contacts.importing.headers import headers_key
    from pressdesk.contacts.importing.source import open_source

    ColumnMapping.objects.create(
        org=org,
        headers_key=headers_key(["Journaliste", "Joignable à", "Où publie"]),
        mapping={"Joignable à": "email", "Où publie": "outlet"},
    )
    source = open_source(data, "presse.csv", org=org)
    assert source.mapping_origin == "remembered" and source.unknown == []


@pytest.mark.django_db
def test_an_unreadable_phone_is_kept_as_given_with_a_warning(org: Organisation) -> None:
    result = run(
        org, csv("Tom;Becker;DW;tom@example.org;123;", "Ana;Lima;RTP;ana@example.org;n/c;")
    )
    assert [(w.line, w.field) for w in result.warnings] == [(2, "phone"), (3, "phone")]
    assert (
        "kept as given" in result.warnings[0].reason
        and "not a phone number" in result.warnings[1].reason
    )
    tom = Contact.objects.get(first_name="Tom")
    assert (tom.phones.get().raw, tom.phones.get().e164) == ("123", "")
    assert not Contact.objects.get(first_name="Ana").phones.exists()


@pytest.mark.django_db
def test_the_import_is_isolated_per_organisation(
    org: Organisation, other_org: Organisation
) -> None:
    run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;"))
    services.opt_out(other_org, "paul@example.org", OptOutReason.OBJECTION)
    result = run_import(
        other_org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org;;"), "x.csv", ImportOptions()
    )
    assert result.counts["created"] == 1
    result = run(org, csv("Paul;Martin;AFP;paul@example.org;;"))
    assert result.counts["created"] == 1
    assert Outlet.objects.filter(name="L’Équipe").count() == 2


@pytest.mark.django_db
def test_a_bad_extra_address_is_a_warning_when_the_row_has_a_good_one(org: Organisation) -> None:
    result = run(org, csv("Hélène;Lefèvre;L’Équipe;helene@example.org, helene@;;"))
    assert result.counts["created"] == 1 and result.skipped == []
    assert [(w.line, w.field, w.reason) for w in result.warnings] == [
        (2, "email", "“helene@” is not a valid address; not imported")
    ]


@pytest.mark.django_db
def test_new_contacts_are_searchable_as_refresh_search_would_make_them(org: Organisation) -> None:
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    for name in ("excel_fr_cp1252.csv", "cision_export.csv", "google_contacts.csv"):
        run_import(org, (fixtures / name).read_bytes(), name, ImportOptions())
    data = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Deux;Postes\nORG:Le Monde\nTITLE:Pigiste\n"
        "ORG:Libération\nEND:VCARD\n"
    )
    run_import(org, data.encode(), "deux.vcf", ImportOptions())

    def fields() -> dict[int, tuple[list[str], str, str | None]]:
        # The words, not their order: beats come in the database's collation order.
        return {
            c.pk: (sorted(c.search_text.split()), c.sort_name, c.sort_outlet)
            for c in Contact.objects.filter(org=org)
        }

    before = fields()
    assert all(words for words, _name, _outlet in before.values())
    services.refresh_search(Contact.objects.filter(org=org))
    assert before == fields()
    found, total = services.quick_search(org, "lequipe")
    assert total == 1 and found[0].first_name == "Hélène"


@pytest.mark.django_db
def test_social_handles_and_languages_go_through_the_shared_checks(org: Organisation) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Dupont;Marie\r\nEMAIL:marie@example.fr\r\n"
        "X-SOCIALPROFILE;TYPE=mastodon:@marie@example.social\x07\\nEND:VCARD\r\n"
        "X-PRESSDESK-LANGUAGES:fr,zz\\nEMAIL:x@evil.test,en\r\nEND:VCARD\r\n"
    )
    result = run_import(org, card.encode(), "carte.vcf", ImportOptions())
    assert result.counts["created"] == 1, result.as_dict()
    marie = Contact.objects.get(org=org)
    assert marie.social == {"mastodon": "@marie@example.social END:VCARD"}
    assert marie.languages == ["fr", "en"]


@pytest.mark.django_db
def test_skipped_rows_keep_their_contents_up_to_a_limit(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MAX_SKIPPED_ROWS", 2)
    result = run(org, csv(*(f"A;B;;nope{n}@;;" for n in range(3))), dry_run=True)
    assert [p.line for p in result.skipped] == [2, 3, 4]
    assert [bool(p.row) for p in result.skipped] == [True, True, False]
    assert any("first 2" in note for note in result.notes)
