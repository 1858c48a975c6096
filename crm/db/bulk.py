"""Bulk loading of many rows into one model's table: the fast path for generated data.

``bulk_insert`` streams rows with PostgreSQL's ``COPY ... FROM STDIN`` (psycopg 3's
``cursor.copy()``: one round trip per chunk, no SQL to parse per row) and falls back to one
``executemany`` of a plain ``INSERT`` elsewhere (SQLite). No ORM object is built per row and no
model ``save()`` runs: the caller supplies every column's value, already valid, exactly as a
DBA's plain SQL would, so whatever the database maintains itself (constraints, triggers)
sees a normal bulk load.

``bulk_loading`` wraps a whole load of several ``bulk_insert`` calls in one database transaction
and, on PostgreSQL when the tables start empty, builds their indexes and unique constraints
once at the end instead of row by row (a sorted build is many times faster than a
million random B-tree insertions, and a trigram GIN index even more so). A failure anywhere
rolls everything back, the dropped indexes included: the table is never left without them.

``table_truncate`` empties tables at once (``TRUNCATE`` on PostgreSQL, which fires
``ON TRUNCATE`` triggers; ``DELETE`` elsewhere).

Generic platform code: it takes a model class and field names, never knows a domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model


def bulk_insert(*, model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples of Python values in the order of ``fields``) into ``model``'s
    table on the model's own alias, in one database transaction. Returns the number of rows.

    Values are what the model fields hold in Python (``UUID``, aware ``datetime``, ``Decimal``,
    ``date``, ``bool``, ``str``, ``None``); they are not validated here.
    """
    using = router.db_for_write(model)
    connection = connections[using]
    opts = model._meta
    model_fields = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = ", ".join(quote(field.column) for field in model_fields)
    count = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's cursor wraps psycopg's; COPY needs psycopg's own. psycopg adapts UUID,
            # datetime, Decimal, date and bool natively (C-accelerated with psycopg[binary]).
            # Errors are wrapped like the ORM's (a duplicate is django.db.IntegrityError).
            raw_cursor = cursor.cursor
            with (
                connection.wrap_database_errors,
                raw_cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            # Other backends store some types differently (SQLite: UUID as hex text, datetimes
            # as naive UTC text): each field converts its own value, as the ORM would.
            placeholders = ", ".join(["%s"] * len(model_fields))
            prepared = [
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(model_fields, row, strict=True)
                ]
                for row in rows
            ]
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                prepared,
            )
            count = len(prepared)
    return count


# Indexes of a table, with the constraint each one backs (primary key, unique, exclusion), if
# any. Left alone: any index a foreign key relies on (e.g. a primary key other rows point to).
_LOAD_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname,
        pg_get_constraintdef(c.oid)
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
        AND c.contype IN ('p', 'u', 'x')
    WHERE i.indrelid = %s::regclass
      AND NOT EXISTS (
        SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
    ORDER BY i.indisprimary DESC, i.indexrelid
"""


@contextmanager
def bulk_loading(
    *, models: Sequence[type[Model]], maintenance_memory: str = "256MB"
) -> Iterator[None]:
    """One transaction around a bulk load of ``models``' tables (all on one alias).

    PostgreSQL, each table empty at the start: its indexes and primary-key/unique/exclusion
    constraints (except those a foreign key relies on) are dropped inside the transaction and
    created again (sorted builds with ``maintenance_memory``) just before the commit;
    uniqueness is then checked by that build. Planner statistics are refreshed (``ANALYZE``).
    Other tables, other backends: just the transaction. Meanwhile the tables are locked for
    other sessions (``DROP INDEX`` takes an exclusive lock): a load, not live traffic.
    """
    aliases = {router.db_for_write(model) for model in models}
    if len(aliases) != 1:
        raise ValueError(f"models of one alias only, got {sorted(aliases)}")
    using = aliases.pop()
    connection = connections[using]
    with transaction.atomic(using=using):
        rebuild: list[str] = []
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL maintenance_work_mem = '{maintenance_memory}'")
                for model in models:
                    table = quote(model._meta.db_table)
                    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
                    if cursor.fetchone()[0]:
                        continue
                    cursor.execute(_LOAD_INDEXES, [table])
                    for (
                        index,
                        index_definition,
                        constraint,
                        constraint_definition,
                    ) in cursor.fetchall():
                        if constraint:
                            cursor.execute(
                                f"ALTER TABLE {table} DROP CONSTRAINT {quote(constraint)}"
                            )
                            rebuild.append(
                                f"ALTER TABLE {table} ADD CONSTRAINT {quote(constraint)} "
                                f"{constraint_definition}"
                            )
                        else:
                            cursor.execute(f"DROP INDEX {index}")
                            rebuild.append(index_definition)
        yield
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh planner statistics: right after a load autovacuum has not looked yet,
                # and plans made for an empty table would scan the big one.
                for model in models:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if rebuild:
            with connection.cursor() as cursor:
                # Deferred foreign-key checks still pending would forbid ALTER TABLE: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for statement in rebuild:
                    cursor.execute(statement)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Iterable[Sequence[Any]]) -> bytes:
    """``rows`` in PostgreSQL's ``COPY ... FROM STDIN`` text format, ready for ``bulk_copy``.

    Pure Python, no connection: worker processes can encode chunks in parallel while the main
    process streams finished ones to the database. ``None`` -> ``\\N``, booleans -> ``t``/``f``,
    dates and datetimes in ISO 8601 (with their offset), text escaped.
    """
    lines = []
    for row in rows:
        fields = []
        for value in row:
            if value is None:
                fields.append("\\N")
            elif value is True:
                fields.append("t")
            elif value is False:
                fields.append("f")
            elif isinstance(value, str):
                fields.append(value.translate(_COPY_ESCAPES))
            elif hasattr(value, "isoformat"):
                fields.append(value.isoformat())
            else:
                fields.append(str(value))
        lines.append("\t".join(fields))
    lines.append("")
    return "\n".join(lines).encode()


def bulk_copy(*, model: type[Model], fields: Sequence[str], data: bytes) -> None:
    """PostgreSQL only: ``COPY`` rows already encoded by ``copy_text`` (same ``fields`` order)
    into ``model``'s table, in one transaction (a savepoint inside ``bulk_loading``)."""
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise ValueError("bulk_copy needs PostgreSQL; use bulk_insert")
    quote = connection.ops.quote_name
    opts = model._meta
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    statement = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
    with (
        transaction.atomic(using=using),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(statement) as copy,
    ):
        copy.write(data)


def table_truncate(*, models: Sequence[type[Model]]) -> None:
    """Remove every row of these models' tables (all on one alias), in one transaction.

    PostgreSQL: one ``TRUNCATE`` of them all (``RESTART IDENTITY``; fast whatever the size,
    and ``ON TRUNCATE`` triggers fire). Elsewhere: ``DELETE`` table by table, in the order
    given (put referencing tables first).
    """
    if not models:
        return
    aliases = {router.db_for_write(model) for model in models}
    if len(aliases) != 1:
        raise ValueError(f"models of one alias only, got {sorted(aliases)}")
    using = aliases.pop()
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in models]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
