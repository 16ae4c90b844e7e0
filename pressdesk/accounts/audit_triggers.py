"""Database triggers that make the audit log append-only, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON accounts_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    # INSERT OR REPLACE deletes the old row without firing the delete trigger (SQLite fires it on
    # REPLACE only with recursive triggers on): refuse any insert that reuses an existing id.
    """CREATE TRIGGER IF NOT EXISTS audit_no_replace BEFORE INSERT ON accounts_auditentry
       WHEN EXISTS (SELECT 1 FROM accounts_auditentry WHERE id = NEW.id)
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
    "DROP TRIGGER IF EXISTS audit_no_replace",
]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS audit_no_change ON accounts_auditentry",
    """CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON accounts_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    # PostgreSQL has no INSERT OR REPLACE: a reused id breaks the primary key, and
    # INSERT … ON CONFLICT DO UPDATE fires the update trigger above.
    # TRUNCATE bypasses row triggers.
    "DROP TRIGGER IF EXISTS audit_no_truncate ON accounts_auditentry",
    """CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON accounts_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_no_truncate ON accounts_auditentry",
    "DROP TRIGGER IF EXISTS audit_no_change ON accounts_auditentry",
]


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection: Any) -> None:
    """Make the audit table refuse UPDATE, DELETE, TRUNCATE and replacing inserts."""
    _run(connection, {"sqlite": SQLITE, "postgresql": POSTGRES})


def drop(connection: Any) -> None:
    """Remove the guard. Only the test suite does this, so that it can empty the database."""
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
