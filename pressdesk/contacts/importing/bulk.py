"""Fast inserts for large imports: rows as dicts, straight to executemany.

bulk_create spends most of a 100,000-row import building model instances and compiling each
value into SQL. Here each row is a dict of attribute names; missing fields get their model
default (auto_now fields the current time), and only fields whose values need converting
(dates, JSON) go through the field's own conversion. The model's _meta drives everything, so a
field added later is filled with its default like bulk_create would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, models
from django.db.models.constants import OnConflict
from django.utils import timezone

# Fields whose Python values the database drivers take as they are.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
BATCH = 500


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, _PLAIN) and not isinstance(field, models.JSONField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _defaults(fields: list[models.Field[Any, Any]]) -> dict[str, Any]:
    now = timezone.now()
    out: dict[str, Any] = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out[field.attname] = now
        elif not field.has_default() and field.null:
            out[field.attname] = None
    return out


def _values(
    fields: list[models.Field[Any, Any]], rows: Iterable[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    defaults = _defaults(fields)
    adapters = [_adapter(f) for f in fields]
    out = []
    for row in rows:
        values = []
        for field, adapt in zip(fields, adapters, strict=True):
            name = field.attname
            if name in row:
                value = row[name]
            elif name in defaults:
                value = defaults[name]
            else:
                value = field.get_default()
            values.append(value if adapt is None else adapt(value))
        out.append(tuple(values))
    return out


def _batch_size(fields: list[models.Field[Any, Any]]) -> int:
    # One statement per batch of rows (multi-row VALUES): one round trip on PostgreSQL. SQLite
    # allows 32,766 parameters per statement; stay well under it.
    return max(1, min(BATCH, 30_000 // len(fields)))


def insert(
    model: type[models.Model], rows: list[dict[str, Any]], *, ignore_conflicts: bool = False
) -> None:
    """Insert rows (attribute name → value) into the model's table."""
    if not rows:
        return
    fields = _columns(model)
    ops = connection.ops
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    conflict = OnConflict.IGNORE if ignore_conflicts else None
    head = ops.insert_statement(on_conflict=conflict)
    tail = ops.on_conflict_suffix_sql(fields, conflict, None, None) if conflict else ""
    table = ops.quote_name(model._meta.db_table)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = _batch_size(fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            values = _values(fields, rows[start : start + size])
            many = ", ".join([row_sql] * len(values))
            # Identifiers come from the model's _meta, values are parameters.
            cursor.execute(
                f"{head} {table} ({columns}) VALUES {many} {tail}", [v for r in values for v in r]
            )


def insert_returning_ids(model: type[models.Model], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows and return their new ids, in order (as bulk_create relies on, via RETURNING)."""
    fields = _columns(model)
    ops = connection.ops
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    pk = ops.quote_name(str(model._meta.pk.column))
    table = ops.quote_name(model._meta.db_table)
    size = _batch_size(fields)
    ids: list[int] = []
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            values = _values(fields, rows[start : start + size])
            many = ", ".join([row_sql] * len(values))
            # Identifiers come from the model's _meta, values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {many} RETURNING {pk}"  # noqa: S608
            cursor.execute(sql, [v for row in values for v in row])
            # Ids are handed out in the order rows are inserted: sorted, they match the rows,
            # whatever order RETURNING lists them in.
            ids += sorted(r[0] for r in cursor.fetchall())
    return ids
