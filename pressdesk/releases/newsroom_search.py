"""The newsroom's search: a full-text index over release versions' words (pressdesk/lib/search).

Each version stores its search words once (`ReleaseVersion.search_text`, filled when it is
saved; versions never change). On SQLite an FTS5 table kept by triggers indexes them, on
PostgreSQL a stored tsvector with a GIN index; a search asks the index for the matching
versions, and the public rule (`public_q`) still decides which releases are shown.

A search reads the matching public releases' ids once, newest first, and stops past CAP: the
list pages through those ids, and a reader is told "more than 1,000" rather than an exact count
that would cost a walk of every match (a common word is in half the releases).
"""

# The SQL names come from VERSIONS (code) and are quoted; what readers type only ever reaches
# the database as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.sql.compiler import SQLCompiler

from pressdesk.lib import search as fts
from pressdesk.releases.models import Release

# Versions have no organisation column: the release stands in for it (the FTS5 table indexes
# it too, unused; queries narrow to the organisation through the release).
VERSIONS = fts.TextIndex("releases_releaseversion", "search_text", org_column="release_id")


def ensure_installed(using: str = "default", **kwargs: Any) -> None:
    """After migrate: recreate what a table rebuild dropped (SQLite triggers), then reindex."""
    fts.ensure_installed(VERSIONS, connections[using])


# How many matches a search lists; past it the count says "more than CAP".
CAP = 1000


@dataclass(frozen=True)
class Found:
    """The releases a search found: their ids newest first (at most CAP), and whether more
    matched."""

    ids: list[int]
    capped: bool


def found(releases: QuerySet[Release], text: str, cap: int | None = None) -> Found | None:
    """The ids of `releases` (already public and in the newsroom's order) holding every word
    typed, read once up to `cap` (default CAP) + 1; None when nothing searchable was typed."""
    query = fts.parse(text)
    if not query:
        return None
    cap = CAP if cap is None else cap
    matching = releases.filter(PublicVersionMatches(query)).values_list("pk", flat=True)
    limited = matching[: cap + 1]
    connection = connections[releases.db]
    if connection.vendor != "postgresql":
        ids = list(limited)
        return Found(ids[:cap], len(ids) > cap)
    # PostgreSQL's planner prices testing a version's stored tsvector as cheap, so for a common
    # word it reads every version (detoasting each vector: ~70 ms at 10,000) rather than the
    # GIN index (a few ms): the sequential scan is ruled out for this one statement.
    nested = connection.in_atomic_block
    with transaction.atomic(using=releases.db), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        ids = list(limited)
        if nested:
            # Inside a caller's transaction SET LOCAL would outlive this statement.
            cursor.execute("RESET enable_seqscan")
    return Found(ids[:cap], len(ids) > cap)


def search(releases: QuerySet[Release], text: str) -> QuerySet[Release]:
    """The releases whose public words hold every word typed, accents, case and French elisions
    ignored ("ecole" finds "l'École"), the last word of each group matched from its start.

    Readers see the approved version, else the current one: the search looks at that one.
    `releases` are already one organisation's, so only its versions can count."""
    query = fts.parse(text)
    if not query:
        return releases
    # The public version (approved, else current) is looked up in the versions the full-text
    # index matches, found once; wrapped in COALESCE, no planner drives the query from the
    # version index (one probe per match: tens of ms for a common word), so the releases are
    # walked in the newsroom's order and the walk stops at a full page.
    return releases.filter(PublicVersionMatches(query))


class PublicVersionMatches(Expression):
    """`COALESCE(approved_version_id, current_version_id) IN (versions matching the query)`:
    SQLite reads the FTS5 table's rowids, PostgreSQL the GIN index of the stored tsvector.

    On PostgreSQL the test is wrapped in `(…) IS TRUE`, so it stays a hashed sub-plan run once
    (not a join): the releases are walked in the newsroom's order and the walk stops at the
    limit, instead of joining every match and sorting them."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, query: fts.Query) -> None:
        super().__init__()
        self.query = query
        self.version: Any = Coalesce(F("approved_version_id"), F("current_version_id"))

    def get_source_expressions(self) -> list[Any]:
        return [self.version]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.version,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        version_sql, version_params = compiler.compile(self.version)
        quote = connection.ops.quote_name
        if connection.vendor == "postgresql":
            from pressdesk.lib.search.postgres import tsquery, vector_column

            matching = (
                f"SELECT {quote(VERSIONS.pk)} FROM {quote(VERSIONS.table)} "
                f"WHERE {quote(vector_column(VERSIONS))} @@ to_tsquery('simple'::regconfig, %s)"
            )
            return (
                f"({version_sql} IN ({matching})) IS TRUE",
                (*version_params, tsquery(self.query)),
            )
        sql, params = fts.backend(connection).match_sql(VERSIONS, version_sql, "", self.query, None)
        return sql, (*version_params, *params)
