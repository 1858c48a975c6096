"""Ledger totals: a deleted (or updated-away) entry subtracts only from a totals row that exists.

0003's triggers subtracted with an upsert, so when the totals rows were gone before the entries
(``DELETE FROM ledger_daily_totals`` then ``DELETE FROM "transaction"``: a DBA's clean-up, or
Django's ``flush`` on SQLite, which deletes tables in no fixed order) the deleted entries left
*negative* totals rows behind, and the next entries of those days summed to zero and vanished
from the cash flow. Now the subtraction touches existing rows only: wiping totals and entries in
either order leaves both empty, and the insert side is unchanged (it still creates rows).
"""

import importlib

from django.db import migrations

TOTALS = {
    # table: key column (customers first, then days: concurrent writers lock in one order)
    "ledger_customer_totals": "cd_customer",
    "ledger_daily_totals": "dt_transaction",
}
PG_CENTS = "round(vr_transaction * 100)::bigint"


def _pg_upsert(table: str, key: str, source: str, sign: str) -> str:
    existing = f"WHERE {key} IN (SELECT {key} FROM {table})" if sign else ""
    return f"""
        INSERT INTO {table} AS totals
            ({key}, vr_entradas_cents, vr_saidas_cents, qt_transactions)
        SELECT {key},
            {sign} COALESCE(sum({PG_CENTS}) FILTER (WHERE id_transaction_type = 1), 0),
            {sign} COALESCE(sum({PG_CENTS}) FILTER (WHERE id_transaction_type = 2), 0),
            {sign} count(*)
        FROM {source} {existing} GROUP BY {key} ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET
            vr_entradas_cents = totals.vr_entradas_cents + EXCLUDED.vr_entradas_cents,
            vr_saidas_cents = totals.vr_saidas_cents + EXCLUDED.vr_saidas_cents,
            qt_transactions = totals.qt_transactions + EXCLUDED.qt_transactions;"""


def _pg_apply(source: str, sign: str) -> str:
    return "".join(_pg_upsert(table, key, source, sign) for table, key in TOTALS.items())


PG_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_totals_apply() RETURNS trigger LANGUAGE plpgsql
    SET search_path FROM CURRENT AS $fn$
    BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN {_pg_apply("new_rows", "")}
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN {_pg_apply("old_rows", "-")}
        END IF;
        RETURN NULL;
    END
    $fn$""",
]

SQLITE_CENTS = "CAST(ROUND({row}.vr_transaction * 100) AS INTEGER)"


def _sqlite_add(table: str, key: str, row: str) -> str:
    cents = SQLITE_CENTS.format(row=row)
    return f"""
        INSERT INTO {table} ({key}, vr_entradas_cents, vr_saidas_cents, qt_transactions)
        VALUES ({row}.{key},
            (CASE WHEN {row}.id_transaction_type = 1 THEN {cents} ELSE 0 END),
            (CASE WHEN {row}.id_transaction_type = 2 THEN {cents} ELSE 0 END),
            1)
        ON CONFLICT ({key}) DO UPDATE SET
            vr_entradas_cents = vr_entradas_cents + excluded.vr_entradas_cents,
            vr_saidas_cents = vr_saidas_cents + excluded.vr_saidas_cents,
            qt_transactions = qt_transactions + excluded.qt_transactions;"""


def _sqlite_subtract(table: str, key: str, row: str) -> str:
    cents = SQLITE_CENTS.format(row=row)
    return f"""
        UPDATE {table} SET
            vr_entradas_cents = vr_entradas_cents
                - (CASE WHEN {row}.id_transaction_type = 1 THEN {cents} ELSE 0 END),
            vr_saidas_cents = vr_saidas_cents
                - (CASE WHEN {row}.id_transaction_type = 2 THEN {cents} ELSE 0 END),
            qt_transactions = qt_transactions - 1
        WHERE {key} = {row}.{key};"""


def _sqlite_trigger(event: str, steps: list[tuple[str, str]]) -> str:
    body = "".join(
        (_sqlite_subtract if step == "subtract" else _sqlite_add)(table, key, row)
        for row, step in steps
        for table, key in TOTALS.items()
    )
    return (
        f'CREATE TRIGGER ledger_totals_{event.lower()} AFTER {event} ON "transaction" '
        f"FOR EACH ROW BEGIN {body}\nEND"
    )


SQLITE_EVENTS = ("insert", "update", "delete")
SQLITE_CREATE = [
    *(f"DROP TRIGGER IF EXISTS ledger_totals_{event}" for event in SQLITE_EVENTS),
    _sqlite_trigger("INSERT", [("NEW", "add")]),
    _sqlite_trigger("UPDATE", [("OLD", "subtract"), ("NEW", "add")]),
    _sqlite_trigger("DELETE", [("OLD", "subtract")]),
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    """Back to 0003's triggers (that migration's own statements)."""
    previous = importlib.import_module(
        "domains.interactions.migrations.0003_ledger_totals_list_indexes"
    )
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(previous.PG_CREATE[0])
    elif vendor == "sqlite":
        for statement in [*previous.SQLITE_DROP, *previous.SQLITE_CREATE]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("interactions", "0006_event_inbox"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
