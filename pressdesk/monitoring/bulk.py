"""Many rows written with one statement sent for all of them (executemany).

Django's bulk_create and bulk_update spend most of their time in Python per value and, on SQLite,
split a batch into statements of 999 parameters; a batch of the pipeline writes thousands of
band and clipping rows. Here the statement is built once from the model's own metadata and the
values are prepared by the model's fields, as Django would store them; rows carry their `org`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of the model (a column), by name."""
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field), name
    return found


def column(model: type[models.Model], name: str) -> str:
    """The quoted column of a field, for the model's database."""
    connection = connections[model._default_manager.db]
    return connection.ops.quote_name(str(field(model, name).column))


def table(model: type[models.Model]) -> str:
    """The quoted table of a model."""
    connection = connections[model._default_manager.db]
    return connection.ops.quote_name(str(model._meta.db_table))


def insert(objs: Sequence[models.Model]) -> int:
    """INSERT these unsaved objects of one model (without reading back their ids); how many."""
    if not objs:
        return 0
    model = type(objs[0])
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model's metadata; every value is a parameter.
    sql = f"INSERT INTO {table(model)} ({columns}) VALUES ({marks})"  # noqa: S608
    rows: list[list[Any]] = [
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def insert_values(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """INSERT rows given as values ready for the database (ints, strings) in these columns.

    For narrow rows made by the thousand (LSH bands), where even building model objects costs
    more than writing them. PostgreSQL takes them by COPY: an executemany runs its INSERT once
    a row there, which cost 2.5 times the CPU of a COPY of the same rows.
    """
    if not rows:
        return 0
    connection = connections[model._default_manager.db]
    columns = ", ".join(column(model, name) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table(model)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table(model)} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
    return len(rows)


# Parameters a statement: SQLite's default limit (PostgreSQL's is far above it).
MAX_PARAMS = 999


def insert_returning_ids(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """INSERT rows of these fields' values (prepared here by the fields); their ids, in order.

    A multi-row INSERT … RETURNING, as bulk_create sends it, without its model objects, which
    cost more than the statement itself for the stories a batch starts.
    """
    connection = connections[router.db_for_write(model)]
    fields = [field(model, name) for name in names]
    columns = ", ".join(column(model, name) for name in names)
    marks = f"({', '.join(['%s'] * len(names))})"
    assert model._meta.pk is not None
    pk = connection.ops.quote_name(str(model._meta.pk.column))
    per_statement = max(1, MAX_PARAMS // len(names))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([marks] * len(chunk))
            sql = f"INSERT INTO {table(model)} ({columns}) VALUES {values} RETURNING {pk}"  # noqa: S608
            params = [
                f.get_db_prep_save(v, connection)
                for row in chunk
                for f, v in zip(fields, row, strict=True)
            ]
            cursor.execute(sql, params)
            # Ids come from the table's sequence row after row: sorted, they follow the rows,
            # whatever order RETURNING gives them back in.
            ids += sorted(found for (found,) in cursor.fetchall())
    return ids
