"""Full-text search behind one interface: SQLite FTS5, or PostgreSQL full text with a GIN index.

A `TextIndex` names a table and the text column to search, which holds already normalised text
(see `pressdesk.lib.text.search_text`). Queries go through `parse()`, which applies the same
normalisation, so "Hélène" finds "helene" and "L'Équipe" finds "equipe" on both databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

from pressdesk.lib.text import search_words

# Enough for any real query; more words only make a query slower, never better.
MAX_GROUPS = 8
MAX_WORDS_PER_GROUP = 8
MAX_WORD_LENGTH = 64


@dataclass(frozen=True)
class TextIndex:
    """A full-text index over one normalised text column of one table."""

    table: str
    column: str
    pk: str = "id"
    org_column: str = "org_id"
    # How `Backend.search` orders its hits: an indexed order, cheap to page through.
    order_by: tuple[str, ...] = ("id",)
    # An index on (pk, *order_by): SQLite sorts a few thousand matches through it without
    # reading their (wide) rows.
    order_index: str = ""
    # An index on (org_column, *order_by): SQLite walks it to page through many matches.
    scan_index: str = ""

    @property
    def name(self) -> str:
        """The name of the FTS table (SQLite) or of the GIN index (PostgreSQL)."""
        return f"{self.table}_fts"


@dataclass(frozen=True)
class Query:
    """A parsed quick search: every group must match; a group is a phrase whose last word is a
    prefix. "marie.dupont@ouest" is one group (marie dupont ouest*), "hel dup" two."""

    groups: tuple[tuple[str, ...], ...] = ()
    # Groups whose last word is a whole word, not a prefix (archive search: "acme", not acme*).
    exact: frozenset[tuple[str, ...]] = frozenset()
    # Pairs of groups within this many words of each other, in either order (FTS5's NEAR;
    # PostgreSQL's word positions, see postgres.full_tsquery).
    near: tuple[tuple[tuple[str, ...], tuple[str, ...], int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse(text: str) -> Query:
    """Parse what a user typed into a query; an empty Query when there is nothing to search."""
    groups: list[tuple[str, ...]] = []
    for chunk in text.split():
        found = [w[:MAX_WORD_LENGTH] for w in search_words(chunk)][:MAX_WORDS_PER_GROUP]
        if found and tuple(found) not in groups:
            groups.append(tuple(found))
        if len(groups) == MAX_GROUPS:
            break
    return Query(tuple(groups))


@dataclass(frozen=True)
class Hits:
    """One page of matching ids and how many match in all (`capped`: at least that many)."""

    ids: list[int]
    count: int
    # The backend stopped counting at `count`: more rows match. The page is then taken from the
    # first `count` matches found (see PostgresBackend.search), and callers must say "more than".
    capped: bool = False


class Backend(Protocol):
    vendor: str

    def install(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Create what the index needs; safe to run again."""

    def uninstall(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Drop what `install` created."""

    def is_installed(self, cursor: CursorWrapper, index: TextIndex) -> bool:
        """Whether everything `install` creates is there."""

    def rebuild(self, cursor: CursorWrapper, index: TextIndex) -> None:
        """Reindex every row from the table."""

    def index(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Bring these rows' entries up to date with the table."""

    def remove(self, cursor: CursorWrapper, index: TextIndex, ids: Sequence[int]) -> None:
        """Make sure these rows no longer appear in results."""

    def match_sql(
        self,
        index: TextIndex,
        pk_sql: str,
        text_sql: str,
        query: Query,
        org_id: int | None = None,
    ) -> tuple[str, list[Any]]:
        """A boolean SQL condition on one row (its pk and text columns) for matching `query`.

        `org_id` lets a backend narrow its candidates early; callers filter on it as well."""

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
        """An organisation's rows matching `query`: one page of ids, in `index.order_by` order,
        and how many match in all."""

    def matching_ids(
        self, cursor: CursorWrapper, index: TextIndex, query: Query, *, org_id: int, cap: int
    ) -> list[int] | None:
        """Matching ids when a literal id list suits the backend's planner better than the
        match condition (at most `cap` of them); None to use the condition."""

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
        """Up to `limit` ids of an organisation's rows matching any of the alternatives, below
        `before` (if given), highest first: a walk through the matches, newest rows first,
        that costs what it returns rather than what matches in all. `walk`, the same dict for
        every call of one walk, lets the backend keep what earlier calls learnt.

        NEAR pairs are checked (a necessary condition: the caller's matcher decides)."""


def backend(connection: BaseDatabaseWrapper | None = None) -> Backend:
    """The search backend for this database connection (the default one if not given)."""
    vendor = (connection or default_connection).vendor
    if vendor == "sqlite":
        from pressdesk.lib.search.sqlite import SQLiteBackend

        return SQLiteBackend()
    if vendor == "postgresql":
        from pressdesk.lib.search.postgres import PostgresBackend

        return PostgresBackend()
    # Pressdesk supports SQLite and PostgreSQL only (CONTRIBUTING.md); say so plainly.
    raise ImproperlyConfigured(
        f"Pressdesk has no full-text search for {vendor}: use SQLite or PostgreSQL"
    )


def ensure_installed(index: TextIndex, connection: BaseDatabaseWrapper | None = None) -> bool:
    """Install the index if anything is missing, and reindex then; True if it had to."""
    conn = connection or default_connection
    engine = backend(conn)
    with conn.cursor() as cursor:
        if engine.is_installed(cursor, index):
            return False
        engine.install(cursor, index)
        # Whatever was missing, rows may have changed without the index seeing them.
        engine.rebuild(cursor, index)
    return True


def ids_list(ids: Iterable[int]) -> list[int]:
    """Ids as a list of ints, for SQL parameters."""
    return [int(i) for i in ids]


__all__ = ["Backend", "Hits", "Query", "TextIndex", "backend", "ensure_installed", "parse"]
