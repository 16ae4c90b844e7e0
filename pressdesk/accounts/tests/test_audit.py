"""The audit log is append-only: the model refuses, and so does the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from pressdesk.accounts import audit, audit_triggers
from pressdesk.accounts.models import AuditEntry, Membership, Organisation, User
from pressdesk.accounts.roles import Role
from pressdesk.accounts.tests.utils import member


@pytest.fixture
def entry(org: Organisation, alice: User) -> AuditEntry:
    # The e2e fixture lifts the database guard to empty the database after its tests; put it
    # back as the migration does, so this file checks the guard whatever ran before.
    audit_triggers.install(connection)
    return audit.record("release.approve", org=org, actor=alice)


def test_the_model_refuses_to_save_an_entry_again(entry: AuditEntry) -> None:
    entry.action = "release.reject"
    with pytest.raises(PermissionError):
        entry.save()


def test_the_model_refuses_to_delete_an_entry(entry: AuditEntry) -> None:
    with pytest.raises(PermissionError):
        entry.delete()


def test_the_database_refuses_an_update(entry: AuditEntry) -> None:
    # A savepoint, because PostgreSQL aborts the whole transaction on the error.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="release.reject")
    entry.refresh_from_db()
    assert entry.action == "release.approve"


def test_the_database_refuses_a_delete(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_raw_sql(entry: AuditEntry) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_database_refuses_to_replace_an_entry(entry: AuditEntry) -> None:
    columns = [f.column for f in AuditEntry._meta.concrete_fields]
    values = ", ".join("'release.reject'" if c == "action" else c for c in columns)
    names = ", ".join(columns)
    if connection.vendor == "sqlite":
        sql = f"INSERT OR REPLACE INTO accounts_auditentry ({names}) SELECT {values} "
    else:
        sql = f"INSERT INTO accounts_auditentry ({names}) SELECT {values} "
    sql += "FROM accounts_auditentry WHERE id = %s"
    if connection.vendor != "sqlite":
        sql += " ON CONFLICT (id) DO UPDATE SET action = EXCLUDED.action"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "release.approve"


def test_the_database_refuses_truncate(entry: AuditEntry) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_outlives_its_actor(as_alice: Client, bob: User, org: Organisation) -> None:
    audit.record("mailing.send", org=org, actor=bob)
    bob.delete()
    entry = AuditEntry.objects.get(action="mailing.send")
    assert entry.actor_label == "bob@example.org"
    r = as_alice.get("/o/acme/audit/")
    assert r.status_code == 200
    assert "bob@example.org" in r.content.decode()
    assert as_alice.get("/o/acme/").status_code == 200


def test_the_team_actions_appear_in_it(
    as_alice: Client, alice: User, bob: User, org: Organisation
) -> None:
    Client().post("/accounts/login/", {"email": "bob@example.org", "password": "wrong"})
    as_alice.post("/o/acme/team/invite/", {"email": "new@example.org", "role": Role.VIEWER})
    as_alice.post(f"/o/acme/team/{member(bob, org).pk}/role/", {"role": Role.VIEWER})
    as_alice.post("/accounts/tokens/acme/new/", {"name": "sync"})
    html = as_alice.get("/o/acme/audit/").content.decode()
    # Shown in words, with the code kept as the cell's title.
    for action, label in (
        ("login.failure", "Failed login"),
        ("team.invite", "Colleague invited"),
        ("team.role_change", "Role changed"),
        ("api.token_create", "API token created"),
    ):
        assert f'<span title="{action}">{label}</span>' in html


def test_a_members_failed_logins_reach_only_their_organisations(alice: User, charlie: User) -> None:
    Client().post("/accounts/login/", {"email": "charlie@example.org", "password": "wrong"})
    Client().post("/accounts/login/", {"email": "nobody@example.org", "password": "wrong"})
    as_alice = Client()
    as_alice.force_login(alice)
    html = as_alice.get("/o/acme/audit/").content.decode()
    assert "charlie@example.org" not in html
    assert "nobody@example.org" not in html
    as_charlie = Client()
    as_charlie.force_login(charlie)
    assert "charlie@example.org" in as_charlie.get("/o/other/audit/").content.decode()


def test_an_entry_of_a_member_of_two_organisations_appears_once(
    alice: User, charlie: User, org: Organisation, other_org: Organisation
) -> None:
    Membership.objects.create(user=charlie, org=org, role=Role.VIEWER)
    audit.record("release.approve", org=org, actor=charlie)
    audit.record("login.failure", actor=charlie)
    assert [e.action for e in audit.for_org(org)] == ["login.failure", "release.approve"]
    assert [e.action for e in audit.for_org(other_org)] == ["login.failure"]
