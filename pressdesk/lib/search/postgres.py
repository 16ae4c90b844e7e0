"""PostgreSQL: a stored tsvector column (generated from the text) with a GIN index.

The 'simple' configuration neither stems nor drops stop words: the text is names, addresses and
outlets, where "Le Monde" must stay "le monde". The text is already folded and split into words
(`pressdesk.lib.text.search_text`), so PostgreSQL's parser sees plain words on both sides.
"""

# SQL is built from TextIndex identifiers, which come from code and are quoted; what users type
# only ever reaches the database as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

from django.db import DatabaseError
from django.db.backends.utils import CursorWrapper

from pressdesk.lib.search import Hits, Query, TextIndex

_NOT_WORD = re.compile(r"[\W_]+")
# Up to this many matches, collecting and sorting them beats walking the ordered index; more
# are dense enough for the walk to fill a page soon (measured at 100,000 contacts).
FEW = 5000
# Past FEW matches, at most this many rows of the ordered index are walked for a page.
WALK = 2000
# `newest` reads ids by windows of the primary key, from this many ids up: a narrow window is
# read through the primary key, its rows tested one by one (common words); a wide one through a
# bitmap of the GIN index and the primary key (rare words).
WINDOW = 4096
# Matches sparser than one in SPARSE ids, with more than SPARSE_WALK ids still to walk at that
# rate, are read through a bitmap of the GIN index: a fixed cost (the index's lists for the
# words, 20 to 70 ms for common words at 1,000,000 rows) against 2 to 3 µs a row walked.
SPARSE = 25
SPARSE_WALK = 10000
# Word positions in a tsvector stop at this number.
MAX_POSITION = 16383


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def vector_sql(text_sql: str) -> str:
    """The text's tsvector, as the stored column computes it."""
    return f"to_tsvector('simple'::regconfig, {text_sql})"


def vector_column(index: TextIndex) -> str:
    """The stored tsvector column kept beside the text column (a generated column)."""
    return f"{index.column}_vector"


def _vector_of(text_sql: str, index: TextIndex) -> str:
    """The stored vector column of the same row as a compiled text column (`T."search_text"`)."""
    quoted = _q(index.column)
    if text_sql.endswith(quoted):
        return text_sql[: -len(quoted)] + _q(vector_column(index))
    return vector_sql(text_sql)


def tsquery(query: Query) -> str:
    """The to_tsquery text: words of a group joined by <-> (a phrase), the last one a prefix,
    groups joined by &. Words are stripped to letters and digits, so none can be an operator."""
    return " & ".join(found for found in (_group(group, query) for group in query.groups) if found)


def _group(group: tuple[str, ...], query: Query) -> str:
    words = _words(group, query)
    return "(" + " <-> ".join(words) + ")" if words else ""


def _words(group: tuple[str, ...], query: Query) -> list[str]:
    """The group's words as tsquery operands, the last one a prefix unless the group is exact."""
    words = [w for w in (_NOT_WORD.sub("", word) for word in group) if w]
    if words and group not in query.exact:
        words[-1] += ":*"
    return words


def word_tsquery(query: Query) -> str:
    """Every word of every group joined by &, without positions: what the GIN index answers
    exactly (no recheck of the row), and a superset of `full_tsquery`."""
    return " & ".join(word for group in query.groups for word in _words(group, query))


def full_tsquery(query: Query) -> str:
    """`tsquery` and each NEAR pair checked on positions.

    `a <k> b` is b's first word exactly k words after a's last one (PostgreSQL 13 on, phrases
    included), so two groups within d words of each other are one of them 1 to d + 1 words
    after the other. Asked of rows only, never of the GIN index: its consistency check over so
    many alternatives costs hundreds of milliseconds (measured at 1,000,000 articles)."""
    found = [tsquery(query)]
    for left, right, distance in query.near:
        lefts, rights = _group(left, query), _group(right, query)
        if lefts and rights:
            options = [
                f"{a} <{k}> {b}"
                for a, b in ((lefts, rights), (rights, lefts))
                for k in range(1, int(distance) + 2)
            ]
            found.append("(" + " | ".join(options) + ")")
    return " & ".join(part for part in found if part)


def _bitmap_read(cursor: CursorWrapper, sql: str, params: list[Any]) -> list[int]:
    """The first column of a query's rows, read with plain index scans off: through bitmaps of
    the GIN index and the primary key. The planner counts testing a row's vector as cheap, so
    for a window of ids it walks the primary key, reading every row's vector (from TOAST for a
    full text): 200 ms for 30,000 rows, against 50 ms through the bitmaps. A session setting
    (SET LOCAL needs a transaction), undone at once, or by the rollback of a transaction that
    the query failed in (where RESET cannot run)."""
    cursor.execute("SET enable_indexscan = off")
    try:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
    finally:
        with contextlib.suppress(DatabaseError):
            cursor.execute("RESET enable_indexscan")


def _vector_index(index: TextIndex) -> str:
    return f"{index.name}_vector"


class PostgresBackend:
    vendor = "postgresql"

    def install(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Add the stored tsvector column and its GIN index; safe to run again.

        The column is GENERATED ... STORED: PostgreSQL computes it on every insert and on every
        update of the text, so no write path can leave it behind, and a search reads the vector
        instead of parsing each candidate row's text again (the functional index of earlier
        versions, dropped here, made every recheck and every row walked re-parse the text)."""
        table, vector = _q(index.table), _q(vector_column(index))
        cursor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {vector} tsvector "
            f"GENERATED ALWAYS AS ({vector_sql(_q(index.column))}) STORED"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {_q(_vector_index(index))} ON {table} USING gin ({vector})"
        )
        cursor.execute(f"DROP INDEX IF EXISTS {_q(index.name)}")

    def uninstall(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Drop the GIN index and the stored column."""
        cursor.execute(f"DROP INDEX IF EXISTS {_q(_vector_index(index))}")
        cursor.execute(f"DROP INDEX IF EXISTS {_q(index.name)}")
        cursor.execute(
            f"ALTER TABLE {_q(index.table)} DROP COLUMN IF EXISTS {_q(vector_column(index))}"
        )

    def is_installed(self, cursor: CursorWrapper, index: TextIndex) -> bool:
        """Whether the GIN index of the stored column exists."""
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [index.table, _vector_index(index)],
        )
        return cursor.fetchone() is not None

    def rebuild(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Nothing to do: PostgreSQL maintains the index with the table."""

    def index(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Nothing to do: the functional index follows every write to the text column."""

    def remove(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Nothing to do: a deleted row leaves the index with it."""

    def match_sql(
        self,
        index: TextIndex,
        pk_sql: str,
        text_sql: str,
        query: Query,
        org_id: int | None = None,
    ) -> tuple[str, list[Any]]:
        """`to_tsvector(text) @@ to_tsquery(query)`, which the GIN index answers; NEAR pairs
        checked on the row's positions (see `newest`)."""
        vector = _vector_of(text_sql, index)
        sql = f"{vector} @@ to_tsquery('simple'::regconfig, %s)"
        params: list[Any] = [tsquery(query)]
        if query.near:
            sql += (
                f" AND (ts_match_vq({vector}, to_tsquery('simple'::regconfig, %s)) "
                f"OR octet_length({text_sql}) > %s)"
            )
            params += [full_tsquery(query), 2 * MAX_POSITION]
        return sql, params

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
        """One organisation's matching ids in the index's order, and their count up to FEW.

        PostgreSQL's planner assumes matches are spread evenly through the table's ordered
        index, so for a LIMIT it walks that index, testing each row, and a name query (whose
        matches all sort together) reads most of the table: 39 s at 1,000,000 contacts. So the
        work is bounded whatever the query:

        - up to FEW + 1 matches are collected from the GIN index first (a MATERIALIZED CTE pins
          that plan) and sorted: up to FEW matches, that is the exact answer;
        - past FEW, the count stops there (`capped`), and the page is the first rows of a walk
          of at most WALK rows of the ordered index, when that walk finds a page (matches
          spread through the file: a beat, "radio"), which is then exact; otherwise (a cluster
          of names: "seguin" at 1,000,000) the first page of the FEW + 1 matches collected,
          sorted: the caller says there are more and the search should be narrowed.
        """
        text = tsquery(query)
        if not text:
            return Hits([], 0)
        table, pk, org = _q(index.table), _q(index.pk), _q(index.org_column)
        order = ", ".join(_q(column) for column in index.order_by)
        vector = _q(vector_column(index))
        condition = f"{org} = %s AND {vector} @@ to_tsquery('simple', %s)"
        columns = ", ".join(_q(c) for c in dict.fromkeys([index.pk, *index.order_by]))
        # One pass for the usual case: collect up to FEW + 1 hits, count and sort them.
        cursor.execute(
            f"WITH hits AS MATERIALIZED (SELECT {columns} FROM {table} WHERE {condition} "
            f"LIMIT %s) SELECT {pk}, (SELECT COUNT(*) FROM hits) FROM hits "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [org_id, text, FEW + 1, limit, offset],
        )
        rows = cursor.fetchall()
        if not rows:
            if offset == 0:
                return Hits([], 0)
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {condition} LIMIT %s) hits",
                [org_id, text, FEW + 1],
            )
            rows = [(None, cursor.fetchone()[0])]
        count = int(rows[0][1])
        found = [row[0] for row in rows if row[0] is not None]
        if count <= FEW:
            return Hits(found, count)
        # Many matches: a bounded walk of the ordered index, exact if it fills the page.
        cursor.execute(
            f"SELECT {pk} FROM (SELECT {pk}, {vector} FROM {table} WHERE {org} = %s "
            f"ORDER BY {order} LIMIT %s) walked WHERE {vector} @@ to_tsquery('simple', %s) "
            f"LIMIT %s",
            [org_id, WALK, text, offset + limit],
        )
        walked = [row[0] for row in cursor.fetchall()]
        if len(walked) == offset + limit:
            found = walked[offset:]
        return Hits(found, FEW, capped=True)

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
        """Windows of ids, newest first, each asked for its matches, until `limit` are found.

        Neither of the planner's own plans is bounded: `ORDER BY id DESC LIMIT n` walks the
        primary key testing rows (all of them for a rare word), and the GIN index alone gathers
        every match of a common word before sorting. A window of ids bounds both; it widens by
        the matches found so far (×4 when none), so a rare word takes a few wide windows and a
        common one a narrow one.

        Rows are tested with positions (phrases, NEAR pairs: `full_tsquery`) only once the
        index has answered for their words. Where matches have been sparse, a window is read
        through the GIN index and the primary key together (a bitmap of both) rather than
        walked row by row: walking 60,000 rows of the table is what made a NEAR query slow.
        `walk` (the same dict for every call of one search) keeps what earlier calls learnt."""
        walk = {} if walk is None else walk
        words = " | ".join(f"({w})" for w in map(word_tsquery, alternatives) if w)
        if not words:
            return []
        full = " | ".join(f"({f})" for f in map(full_tsquery, alternatives) if f)
        table, pk, org = _q(index.table), _q(index.pk), _q(index.org_column)
        vector = _q(vector_column(index))
        condition = f"{org} = %s AND {vector} @@ to_tsquery('simple', %s)"
        params: list[Any] = [words]
        if full != words:
            # ts_match_vq is `@@` that the planner cannot give to the GIN index. Positions stop
            # at 16383: a text that long (two bytes a word at least) is left to the matcher.
            condition += (
                f" AND (ts_match_vq({vector}, to_tsquery('simple', %s)) "
                f"OR octet_length({_q(index.column)}) > %s)"
            )
            params += [full, 2 * MAX_POSITION]
        if "bounds" not in walk:
            cursor.execute(f"SELECT MIN({pk}), MAX({pk}) FROM {table} WHERE {org} = %s", [org_id])
            walk["bounds"] = cursor.fetchone()
        lowest, highest = walk["bounds"]
        if lowest is None:
            return []
        top = min(before, highest + 1) if before is not None else highest + 1
        found: list[int] = []
        while top > lowest and len(found) < limit:
            missing = limit - len(found)
            matched, walked = walk.get("matched", 0), walk.get("walked", 0)
            if matched:
                # As dense further down: a window that should hold what is missing, and more.
                window = int(walked * missing / matched * 1.5)
            else:
                window = walk.get("window", 0) * 4 if walked else 0
            window = max(window, WINDOW, limit * 4)
            start = max(lowest, top - window)
            sparse = matched * SPARSE < walked and missing * walked > matched * SPARSE_WALK
            sql = (
                f"SELECT {pk} FROM {table} WHERE {pk} >= %s AND {pk} < %s AND {condition} "
                f"ORDER BY {pk} DESC LIMIT %s"
            )
            arguments = [start, top, org_id, *params, missing]
            if sparse or (walked and not matched):
                rows = _bitmap_read(cursor, sql, arguments)
            else:
                cursor.execute(sql, arguments)
                rows = [row[0] for row in cursor.fetchall()]
            found += rows
            # Where a window stopped at its LIMIT, the ids below its last row were not read.
            bottom = rows[-1] if len(rows) == missing else start
            walk["walked"] = walked + top - bottom
            walk["matched"] = matched + len(rows)
            walk["window"] = window
            top = bottom
        return found

    def matching_ids(
        self, cursor: CursorWrapper, index: TextIndex, query: Query, *, org_id: int, cap: int
    ) -> list[int] | None:
        """The ids of an organisation's matching rows, or None if there are more than `cap`.

        A queryset restricted to a short literal list of ids gets a good plan from PostgreSQL,
        where the match condition itself would get the index walk `search` avoids."""
        text = tsquery(query)
        if not text:
            return None
        table, pk, org = _q(index.table), _q(index.pk), _q(index.org_column)
        condition = f"{org} = %s AND {_q(vector_column(index))} @@ to_tsquery('simple', %s)"
        cursor.execute(
            f"SELECT {pk} FROM {table} WHERE {condition} LIMIT %s", [org_id, text, cap + 1]
        )
        ids = [row[0] for row in cursor.fetchall()]
        return ids if len(ids) <= cap else None
