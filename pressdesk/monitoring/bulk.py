"""Many rows written with one statement sent for all of them (executemany).

Django's bulk_create and bulk_update spend most of their time in Python per value and, on SQLite,
split a batch into statements of 999 parameters; a batch of the pipeline writes thousands of
band and clipping rows. Here the statement is built once from the model's own metadata and the
values are prepared by the model's fields, as Django would store them; rows carry their `org`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models


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
    more than writing them.
    """
    if not rows:
        return 0
    connection = connections[model._default_manager.db]
    columns = ", ".join(column(model, name) for name in names)
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {table(model)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
