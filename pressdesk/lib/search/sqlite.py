"""SQLite: an FTS5 table with external content on the indexed table, kept in step by triggers.

Triggers rather than application code keep the index right whatever writes the table: the ORM,
bulk updates, cascading deletes of an organisation, raw SQL. Django rebuilds a SQLite table to
alter it, which drops its triggers: `ensure_installed` (run after every migrate) puts them back.

The FTS table indexes the organisation column too, so "this organisation's matches" and their
count are answered by the full-text index alone, without visiting the table.
"""

# SQL is built from TextIndex identifiers, which come from code and are quoted; what users type
# only ever reaches the database as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from pressdesk.lib.search import Hits, Query, TextIndex

TOKENIZER = "unicode61 remove_diacritics 2"
# Prefix indexes make "ma*" as quick as "martin": the box searches as people type.
PREFIXES = "1 2 3"
# Up to this many matches, sorting them beats walking the table's ordered index: names cluster
# in that order, so a walk for "martin" reads half the file (measured at 100,000 contacts).
FEW = 20000


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _definitions(index: TextIndex) -> dict[str, str]:
    """Name → CREATE statement of the FTS table and its triggers, as sqlite_master keeps them."""
    fts, table, pk = _q(index.name), _q(index.table), _q(index.pk)
    col, org = _q(index.column), _q(index.org_column)
    insert = f"INSERT INTO {fts}(rowid, {col}, {org}) VALUES (new.{pk}, new.{col}, new.{org});"
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, {col}, {org}) "
        f"VALUES ('delete', old.{pk}, old.{col}, old.{org});"
    )
    return {
        index.name: (
            f"CREATE VIRTUAL TABLE {fts} USING fts5({col}, {org}, content='{index.table}', "
            f"content_rowid='{index.pk}', tokenize='{TOKENIZER}', prefix='{PREFIXES}')"
        ),
        f"{index.name}_ai": (
            f"CREATE TRIGGER {_q(index.name + '_ai')} AFTER INSERT ON {table} BEGIN {insert} END"
        ),
        f"{index.name}_ad": (
            f"CREATE TRIGGER {_q(index.name + '_ad')} AFTER DELETE ON {table} BEGIN {delete} END"
        ),
        f"{index.name}_au": (
            f"CREATE TRIGGER {_q(index.name + '_au')} AFTER UPDATE OF {col}, {org} ON {table} "
            f"BEGIN {delete} {insert} END"
        ),
    }


def match_expression(index: TextIndex, query: Query, org_id: int | None = None) -> str:
    """The FTS5 MATCH string: each group a quoted phrase with a prefix on its last word, ANDed,
    within one organisation if given.

    Words hold only letters and digits, but they are quoted anyway so that no input can be read
    as FTS5 syntax (AND, NEAR, column filters, carets).
    """
    terms = [f'{index.org_column} : "{int(org_id)}"'] if org_id is not None else []
    for group in query.groups:
        terms.append(f"{index.column} : {_phrase(group, query)}")
    for left, right, distance in query.near:
        pair = f"{_phrase(left, query)} {_phrase(right, query)}"
        terms.append(f"{index.column} : NEAR({pair}, {int(distance)})")
    return " AND ".join(terms)


def _phrase(group: tuple[str, ...], query: Query) -> str:
    text = " ".join(group).replace('"', '""')
    return f'"{text}"' if group in query.exact else f'"{text}"*'


def any_expression(index: TextIndex, alternatives: Sequence[Query], org_id: int) -> str:
    """The FTS5 MATCH string for rows of one organisation matching any of the alternatives."""
    options = [match_expression(index, q) for q in alternatives if q]
    either = " OR ".join(f"({option})" for option in options)
    return f'{index.org_column} : "{int(org_id)}" AND ({either})'


def _execute(cursor: CursorWrapper, sql: str, index_name: str, params: list[Any]) -> None:
    """Run `sql` with `{indexed}` replaced by an INDEXED BY clause, or without one if that
    index does not exist (a database not migrated yet): same result, only slower."""
    if index_name:
        try:
            cursor.execute(sql.format(indexed=f" INDEXED BY {_q(index_name)}"), params)
        except OperationalError as e:
            if "no such index" not in str(e):
                raise
        else:
            return
    cursor.execute(sql.format(indexed=""), params)


class SQLiteBackend:
    vendor = "sqlite"

    def install(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Create the FTS5 table and its triggers (dropping any of another definition)."""
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
            list(_definitions(index)),
        )
        existing = dict(cursor.fetchall())
        for name, sql in _definitions(index).items():
            if existing.get(name) == sql:
                continue
            if name in existing:
                kind = "TABLE" if name == index.name else "TRIGGER"
                cursor.execute(f"DROP {kind} {_q(name)}")
            cursor.execute(sql)

    def uninstall(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Drop the triggers and the FTS5 table."""
        for name in _definitions(index):
            if name != index.name:
                cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")
        cursor.execute(f"DROP TABLE IF EXISTS {_q(index.name)}")

    def is_installed(self, cursor: CursorWrapper, index: TextIndex) -> bool:
        """Whether the FTS5 table and all three triggers exist, as this code defines them."""
        wanted = _definitions(index)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", list(wanted)
        )
        return dict(cursor.fetchall()) == wanted

    def rebuild(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Reindex every row from the content table."""
        cursor.execute(f"INSERT INTO {_q(index.name)}({_q(index.name)}) VALUES ('rebuild')")

    def index(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Nothing to do: the triggers index every insert and update of the text column."""

    def remove(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Nothing to do: the delete trigger drops a row's entry when the row goes."""

    def match_sql(
        self,
        index: TextIndex,
        pk_sql: str,
        text_sql: str,
        query: Query,
        org_id: int | None = None,
    ) -> tuple[str, list[Any]]:
        """`pk IN (rowids matching the query)`."""
        fts = _q(index.name)
        return f"{pk_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [
            match_expression(index, query, org_id)
        ]

    def matching_ids(
        self, cursor: CursorWrapper, index: TextIndex, query: Query, *, org_id: int, cap: int
    ) -> list[int] | None:
        """None: `pk IN (FTS subquery)` already gives SQLite an index-only plan."""
        return None

    def newest(
        self,
        cursor: CursorWrapper,
        index: TextIndex,
        alternatives: Sequence[Query],
        *,
        org_id: int,
        before: int | None,
        limit: int,
        walk: dict[str, Any] | None = None,
    ) -> list[int]:
        """FTS5 reads its doclists backwards (ORDER BY rowid DESC) and seeks to `before`: it
        stops at `limit` matches, however many there are in all."""
        if not any(alternatives):
            return []
        fts = _q(index.name)
        bound = f"AND rowid < {int(before)} " if before is not None else ""
        cursor.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s {bound}ORDER BY rowid DESC LIMIT %s",
            [any_expression(index, alternatives, org_id), limit],
        )
        return [row[0] for row in cursor.fetchall()]

    def search(
        self,
        cursor: CursorWrapper,
        index: TextIndex,
        query: Query,
        *,
        org_id: int,
        limit: int,
        offset: int = 0,
    ) -> Hits:
        """One organisation's matching ids in the index's order, and their count.

        The count comes from the full-text index alone. Then the plan depends on it: few matches
        are read from the index and sorted; many are found by walking the table's ordered index
        and keeping the matching rows, which stops as soon as the page is full.
        """
        if not query:
            return Hits([], 0)
        fts, table = _q(index.name), _q(index.table)
        pk, org = _q(index.pk), _q(index.org_column)
        order = ", ".join(f"{table}.{_q(column)}" for column in index.order_by)
        expression = match_expression(index, query, org_id)
        cursor.execute(f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [expression])
        count = int(cursor.fetchone()[0])
        if count == 0 or offset >= count:
            return Hits([], count)
        # SQLite's planner cannot know how many rows a MATCH gives, and picks either plan
        # whatever the count; so the plan is chosen here and pinned with INDEXED BY.
        if count <= FEW:
            # CROSS JOIN keeps the FTS table as the outer loop.
            sql = (
                f"SELECT {table}.{pk} FROM {fts} CROSS JOIN {table}{{indexed}} "
                f"ON {table}.{pk} = {fts}.rowid "
                f"WHERE {fts} MATCH %s ORDER BY {order} LIMIT %s OFFSET %s"
            )
            _execute(cursor, sql, index.order_index, [expression, limit, offset])
        else:
            sql = (
                f"SELECT {pk} FROM {table}{{indexed}} WHERE {org} = %s AND {pk} IN "
                f"(SELECT rowid FROM {fts} WHERE {fts} MATCH %s) ORDER BY {order} "
                "LIMIT %s OFFSET %s"
            )
            _execute(cursor, sql, index.scan_index, [org_id, expression, limit, offset])
        return Hits([row[0] for row in cursor.fetchall()], count)
