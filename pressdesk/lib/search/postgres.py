"""PostgreSQL: a stored tsvector column (generated from the text) with a GIN index.

The 'simple' configuration neither stems nor drops stop words: the text is names, addresses and
outlets, where "Le Monde" must stay "le monde". The text is already folded and split into words
(`pressdesk.lib.text.search_text`), so PostgreSQL's parser sees plain words on both sides.
"""

# SQL is built from TextIndex identifiers, which come from code and are quoted; what users type
# only ever reaches the database as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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
    words = [w for w in (_NOT_WORD.sub("", word) for word in group) if w]
    if not words:
        return ""
    last = words[-1] if group in query.exact else words[-1] + ":*"
    return "(" + " <-> ".join([*words[:-1], last]) + ")"


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
        """`to_tsvector(text) @@ to_tsquery(query)`, which the GIN index answers."""
        vector = _vector_of(text_sql, index)
        return f"{vector} @@ to_tsquery('simple'::regconfig, %s)", [tsquery(query)]

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
    ) -> list[int]:
        """Windows of ids, newest first, each asked for its matches, until `limit` are found.

        Neither of the planner's own plans is bounded: `ORDER BY id DESC LIMIT n` walks the
        primary key testing rows (all of them for a rare word), and the GIN index alone gathers
        every match of a common word before sorting. A window of ids bounds both; it widens by
        the matches found so far (×4 when none), so a rare word takes a few wide windows and a
        common one a narrow one."""
        texts = [text for text in map(tsquery, alternatives) if text]
        if not texts:
            return []
        text = " | ".join(f"({t})" for t in texts)
        table, pk, org = _q(index.table), _q(index.pk), _q(index.org_column)
        # NEAR pairs are not asked (`a <n> b` is one exact distance, and one alternative per
        # distance makes PostgreSQL test every row of a window at length): both groups are.
        condition, params = f"{_q(vector_column(index))} @@ to_tsquery('simple', %s)", [text]
        cursor.execute(f"SELECT MIN({pk}), MAX({pk}) FROM {table} WHERE {org} = %s", [org_id])
        lowest, highest = cursor.fetchone()
        if lowest is None:
            return []
        top = min(before, highest + 1) if before is not None else highest + 1
        window = max(WINDOW, limit * 4)
        found: list[int] = []
        while top > lowest and len(found) < limit:
            start = max(lowest, top - window)
            cursor.execute(
                f"SELECT {pk} FROM {table} WHERE {org} = %s AND {pk} >= %s AND {pk} < %s "
                f"AND {condition} ORDER BY {pk} DESC LIMIT %s",
                [org_id, start, top, *params, limit - len(found)],
            )
            rows = [row[0] for row in cursor.fetchall()]
            found += rows
            walked = top - start
            top = start
            if rows and len(found) < limit:
                # As dense further down: a window that should hold what is missing, and more.
                window = max(window, int(walked * (limit - len(found)) / len(rows) * 1.5))
            elif not rows:
                window *= 4
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
