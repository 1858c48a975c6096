"""Helpers for the audit-trail tests of every domain."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connections


@contextmanager
def inserts_refused(*, table: str, alias: str):
    """Make the database itself refuse every INSERT into ``table`` (a trigger, on SQLite and on
    PostgreSQL), to show that a change whose history cannot be written is not made either."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_insert() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'history insert refused by the test'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse_insert BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_insert()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse_insert BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'history insert refused by the test'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER test_refuse_insert ON {table}")
                cursor.execute("DROP FUNCTION test_refuse_insert()")
            else:
                cursor.execute("DROP TRIGGER test_refuse_insert")
