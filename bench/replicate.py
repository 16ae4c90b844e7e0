"""Grow a loaded press file N times inside the database, for the 1,000,000-contact figures.

Loading a million generated contacts through the app's Python (`generate.load`) takes hours of
CPU on the shared benchmark machine. Instead, a generated file of contacts / N is loaded through
the app as usual, and then every outlet, contact, address, phone, position, beat link and stored
filter value is copied N - 1 times by INSERT … SELECT, with ids shifted so that each copy is its
own set of outlets and contacts. The search index (a functional GIN index) and every other index
are maintained by PostgreSQL during the copy, as they would be by a bulk load. What changes from
a file generated at full size: each name, address and outlet name occurs N times as often.
"""

from __future__ import annotations

import time
from typing import Any


def _tables() -> list[tuple[Any, dict[str, str]]]:
    """Each table to copy, and which of its columns hold ids to shift (column → id space)."""
    from pressdesk.contacts.models import (
        Contact,
        ContactEmail,
        ContactFacet,
        ContactPhone,
        Outlet,
        Position,
    )

    return [
        (Outlet, {"id": "outlet"}),
        (Contact, {"id": "contact"}),
        (ContactEmail, {"id": "email", "contact_id": "contact"}),
        (ContactPhone, {"id": "phone", "contact_id": "contact"}),
        (Position, {"id": "position", "contact_id": "contact", "outlet_id": "outlet"}),
        (Contact.beats.through, {"id": "beat_link", "contact_id": "contact"}),
        (ContactFacet, {"id": "facet", "contact_id": "contact"}),
    ]


def replicate(copies: int, progress: Any = None) -> dict[str, float]:
    """Make the database hold `copies` times what it holds (SQLite's AUTOINCREMENT follows the
    inserted ids by itself; PostgreSQL's sequences are moved past them)."""
    from django.db import connection, transaction

    if copies <= 1:
        return {"replicate_seconds": 0.0}
    started = time.perf_counter()
    tables = _tables()
    spans: dict[str, int] = {}
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        dropped = _drop_indexes(cursor, [m._meta.db_table for m, _s in tables]) if postgres else []
        for model, shifts in tables:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {model._meta.db_table}")
            spans[shifts["id"]] = cursor.fetchone()[0]
        for model, shifts in tables:
            table = model._meta.db_table
            columns = [f.column for f in model._meta.concrete_fields]
            values = [f"{c} + k * {spans[shifts[c]]}" if c in shifts else c for c in columns]
            t0 = time.perf_counter()
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"WITH RECURSIVE copy(k) AS (SELECT 1 UNION ALL "
                    f"SELECT k + 1 FROM copy WHERE k < {copies - 1}) "
                    f"SELECT {', '.join(values)} FROM {table}, copy "
                    f"WHERE id <= {spans[shifts['id']]}"
                )
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            if progress:
                progress(f"  copied {table} ×{copies} in {time.perf_counter() - t0:.1f} s")
        if postgres:
            t0 = time.perf_counter()
            for definition in dropped:
                cursor.execute(definition)
            cursor.execute("RESET session_replication_role")
            if progress:
                progress(f"  rebuilt {len(dropped)} indexes in {time.perf_counter() - t0:.1f} s")
    return {"replicate_seconds": time.perf_counter() - started}


def _drop_indexes(cursor: Any, tables: list[str]) -> list[str]:
    """PostgreSQL: drop the copied tables' secondary indexes, return how to build them again.

    Building an index once over the copied rows is several times cheaper than maintaining it row
    by row (the GIN index of the search text above all). Constraint indexes (primary keys,
    unique constraints) stay. The copies are of rows whose foreign keys hold, with ids shifted
    together, so the foreign-key triggers are skipped for the session (replica role)."""
    cursor.execute("SET maintenance_work_mem = '256MB'")
    cursor.execute("SET session_replication_role = replica")
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in found]
