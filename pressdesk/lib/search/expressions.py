"""A Django expression for full-text matches, so searches combine with any other filter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F
from django.db.models.sql.compiler import SQLCompiler

from pressdesk.lib.search import Query, TextIndex, backend


class Matches(Expression):
    """`queryset.filter(Matches(index, query))`: rows whose indexed text matches the query.

    Columns are compiled by Django, so the condition keeps working inside subqueries and joins,
    where the table gets another alias.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, index: TextIndex, query: Query, org_id: int | None = None) -> None:
        super().__init__()
        self.index = index
        self.query = query
        self.org_id = org_id
        self.pk: Any = F("pk")
        self.text: Any = F(index.column)

    def get_source_expressions(self) -> list[Any]:
        return [self.pk, self.text]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.pk, self.text = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        text_sql, text_params = compiler.compile(self.text)
        if pk_params or text_params:
            # Plain columns compile without parameters; anything else would need them placed.
            raise ValueError("Matches works on plain columns only")
        sql, params = backend(connection).match_sql(
            self.index, pk_sql, text_sql, self.query, self.org_id
        )
        return sql, tuple(params)


class PkAnyOf(Expression):
    """`queryset.filter(PkAnyOf(ids))`: rows whose pk is one of `ids`, as a single array
    parameter on PostgreSQL (`pk = ANY(%s)`) rather than thousands of placeholders."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, ids: Sequence[int], field: str = "pk") -> None:
        super().__init__()
        self.ids = list(map(int, ids))
        self.pk: Any = F(field)

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        pk_sql, _params = compiler.compile(self.pk)
        if connection.vendor == "postgresql":
            return f"{pk_sql} = ANY(%s::bigint[])", (int_array(self.ids),)
        if not self.ids:
            return "1 = 0", ()
        # Integers from the database, written inline: no placeholder limit to worry about.
        return f"{pk_sql} IN ({', '.join(map(str, self.ids))})", ()


def int_array(ids: Sequence[int]) -> str:
    """Integers as a PostgreSQL array literal ('{1,2,3}'), to pass as one text parameter.

    psycopg adapts a Python list item by item in Python: 14,000 ids cost about 15 ms that way,
    against well under a millisecond joined here."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"
