"""Ledger totals per customer and per day, kept by the database (issue #8).

The balance and the cash-flow summary read them (O(days), not O(entries)); they must equal a
full recomputation from the entries after API writes, reversals and raw bulk SQL, on
PostgreSQL (statement-level triggers) and SQLite (row triggers). ``manage.py ledger_verify``
proves it on demand, fails loudly on a difference and rebuilds with ``--rebuild``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

ENTRIES_URL = "/api/customers/{}/transactions"


def postgres() -> bool:
    return connections["interactions"].vendor == "postgresql"


def raw(sql: str, params=None) -> list:
    with connections["interactions"].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def money(cents: int) -> str:
    return str(Decimal(int(cents)).scaleb(-2).quantize(Decimal("0.01")))


def recomputed_balance(customer_id) -> dict:
    key = customer_id.hex if not postgres() else customer_id
    (entradas, saidas, quantity) = raw(
        "SELECT COALESCE(SUM(CASE WHEN id_transaction_type = 1 "
        "THEN CAST(ROUND(vr_transaction * 100) AS BIGINT) ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN id_transaction_type = 2 "
        "THEN CAST(ROUND(vr_transaction * 100) AS BIGINT) ELSE 0 END), 0), COUNT(*) "
        'FROM "transaction" WHERE cd_customer = %s',
        [key],
    )[0]
    return {
        "cd_customer": str(customer_id),
        "vr_total_entradas": money(entradas),
        "vr_total_saidas": money(saidas),
        "vr_saldo": money(entradas - saidas),
        "qt_transactions": quantity,
    }


def recomputed_months(date_from: str, date_to: str) -> list[dict]:
    rows = raw(
        'SELECT dt_transaction, id_transaction_type, vr_transaction FROM "transaction" '
        "WHERE dt_transaction BETWEEN %s AND %s",
        [date_from, date_to],
    )
    months: dict[str, list[int]] = {}
    for day, kind, amount in rows:
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        cents = int((Decimal(str(amount)) * 100).to_integral_value())
        totals = months.setdefault(day.strftime("%Y-%m"), [0, 0, 0])
        totals[0 if kind == 1 else 1] += cents
        totals[2] += 1
    return [
        {
            "month": month,
            "vr_total_entradas": money(entradas),
            "vr_total_saidas": money(saidas),
            "vr_saldo": money(entradas - saidas),
            "qt_transactions": quantity,
        }
        for month, (entradas, saidas, quantity) in sorted(months.items())
    ]


def verify() -> str:
    """``ledger_verify``'s report; raises ``CommandError`` when the totals differ."""
    from io import StringIO

    out = StringIO()
    call_command("ledger_verify", stdout=out)
    return out.getvalue()


def post_entry(client, customer_id, amount: str, kind: int, day: str):
    response = client.post(
        ENTRIES_URL.format(customer_id),
        {"vr_transaction": amount, "id_transaction_type": kind, "dt_transaction": day},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["transaction"]


def bulk_insert_entries(customer_ids: list, user_id, count: int) -> None:
    """A DBA's load: plain INSERT ... SELECT with today's columns, bypassing our code."""
    ids = [str(customer_id) for customer_id in customer_ids]
    if postgres():
        raw(
            'INSERT INTO "transaction" (cd_transaction, cd_customer, cd_user, cd_product, '
            "vr_transaction, id_transaction_type, dt_transaction, ds_transaction, "
            "cd_reversal_of, dt_created_at) "
            "SELECT gen_random_uuid(), (%s::uuid[])[1 + i %% %s], %s, NULL, "
            "(i %% 997) / 100.0 + 0.01, 1 + i %% 2, date '2026-01-01' + (i %% 400), "
            "'carga', NULL, now() FROM generate_series(1, %s) AS i",
            [ids, len(ids), str(user_id), count],
        )
    else:
        for number in range(1, count + 1):
            raw(
                'INSERT INTO "transaction" (cd_transaction, cd_customer, cd_user, cd_product, '
                "vr_transaction, id_transaction_type, dt_transaction, ds_transaction, "
                "cd_reversal_of, dt_created_at) VALUES (%s, %s, %s, NULL, %s, %s, %s, 'carga', "
                "NULL, '2026-01-01 00:00:00')",
                [
                    uuid.uuid4().hex,
                    uuid.UUID(ids[number % len(ids)]).hex,
                    uuid.UUID(str(user_id)).hex,
                    str(Decimal(number % 997) / 100 + Decimal("0.01")),
                    1 + number % 2,
                    (dt.date(2026, 1, 1) + dt.timedelta(days=number % 400)).isoformat(),
                ],
            )


@pytest.fixture
def three_customers(make_customer):
    return [make_customer(ds_customer_name=f"Cliente {index}") for index in range(3)]


def test_balance_and_summary_equal_a_recomputation_after_api_writes_and_reversals(
    auth_client, three_customers
):
    first, second, _third = three_customers
    entries = [
        post_entry(auth_client, first.pk, "0.10", 1, "2026-03-31")
        for _ in range(10)  # ten times 0.10 is exactly 1.00
    ]
    post_entry(auth_client, first.pk, "1250.90", 2, "2026-04-01")
    post_entry(auth_client, second.pk, "9999999999.99", 1, "2026-04-15")
    post_entry(auth_client, second.pk, "0.01", 2, "2026-12-31")
    reversed_entry = entries[3]["cd_transaction"]
    assert (
        auth_client.post(f"{ENTRIES_URL.format(first.pk)}/{reversed_entry}/reverse").status_code
        == 201
    )

    for customer in three_customers:
        balance = auth_client.get(f"/api/customers/{customer.pk}/balance").json()["balance"]
        assert balance == recomputed_balance(customer.pk)
    assert (
        auth_client.get(f"/api/customers/{first.pk}/balance").json()["balance"]["vr_total_entradas"]
        == "1.00"
    )
    summary = auth_client.get(
        "/api/transactions/summary", {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    ).json()
    today = dt.date.today()
    if today.year == 2026:  # the reversal is dated today
        assert summary["summary"] == recomputed_months("2026-01-01", "2026-12-31")
    assert "0 diferença" in verify()


def test_totals_stay_right_after_raw_bulk_sql(auth_client, user, three_customers):
    post_entry(auth_client, three_customers[0].pk, "10.00", 1, "2026-02-10")

    bulk_insert_entries([customer.pk for customer in three_customers], user.pk, 300)

    for customer in three_customers:
        balance = auth_client.get(f"/api/customers/{customer.pk}/balance").json()["balance"]
        assert balance == recomputed_balance(customer.pk)
        assert balance["qt_transactions"] >= 100
    summary = auth_client.get(
        "/api/transactions/summary", {"date_from": "2026-01-01", "date_to": "2027-12-31"}
    ).json()
    assert summary["summary"] == recomputed_months("2026-01-01", "2027-12-31")
    assert summary["totals"]["qt_transactions"] == 301
    assert "0 diferença" in verify()


def test_totals_follow_a_dba_correcting_or_deleting_entries(auth_client, three_customers):
    first, second, _ = three_customers
    entry = post_entry(auth_client, first.pk, "50.00", 1, "2026-05-05")
    post_entry(auth_client, first.pk, "20.00", 2, "2026-05-06")
    post_entry(auth_client, second.pk, "7.50", 1, "2026-06-01")
    key = entry["cd_transaction"] if postgres() else uuid.UUID(entry["cd_transaction"]).hex

    # The ledger is append-only for the application; a DBA's fix must still keep totals right.
    raw(
        "UPDATE \"transaction\" SET vr_transaction = 55.55, dt_transaction = '2026-07-01' "
        "WHERE cd_transaction = %s",
        [key],
    )
    assert auth_client.get(f"/api/customers/{first.pk}/balance").json()[
        "balance"
    ] == recomputed_balance(first.pk)
    raw(
        'DELETE FROM "transaction" WHERE cd_customer = %s',
        [second.pk if postgres() else second.pk.hex],
    )

    assert auth_client.get(f"/api/customers/{second.pk}/balance").json()["balance"] == (
        recomputed_balance(second.pk)
    )
    summary = auth_client.get(
        "/api/transactions/summary", {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    ).json()
    assert summary["summary"] == recomputed_months("2026-01-01", "2026-12-31")
    assert [month["month"] for month in summary["summary"]] == ["2026-05", "2026-07"]
    assert "0 diferença" in verify()


def test_ledger_verify_reports_a_difference_and_rebuild_repairs_it(auth_client, three_customers):
    first = three_customers[0]
    post_entry(auth_client, first.pk, "30.00", 1, "2026-08-08")
    post_entry(auth_client, first.pk, "12.34", 2, "2026-08-09")
    # Someone tampers with the totals (or a trigger was disabled during a load).
    raw("UPDATE ledger_customer_totals SET vr_entradas_cents = vr_entradas_cents + 1")
    raw("DELETE FROM ledger_daily_totals WHERE dt_transaction = %s", ["2026-08-09"])

    with pytest.raises(CommandError) as failure:
        verify()

    assert "2 diferença" in str(failure.value)
    from io import StringIO

    out = StringIO()
    call_command("ledger_verify", "--rebuild", stdout=out)
    assert "reconstruídos" in out.getvalue()
    assert "0 diferença" in verify()
    assert auth_client.get(f"/api/customers/{first.pk}/balance").json()["balance"] == (
        recomputed_balance(first.pk)
    )


def test_a_customer_without_entries_has_a_zero_balance(auth_client, three_customers):
    balance = auth_client.get(f"/api/customers/{three_customers[2].pk}/balance").json()

    assert balance["balance"] == recomputed_balance(three_customers[2].pk)
    assert balance["balance"]["vr_saldo"] == "0.00"


def test_wiping_totals_before_entries_leaves_no_negative_totals(auth_client, three_customers):
    """Totals gone first, entries deleted after (a DBA's clean-up; Django's ``flush`` on SQLite
    deletes tables in no fixed order): the deletions find nothing to subtract from, and the next
    entries of the same days count from zero."""
    first = three_customers[0]
    post_entry(auth_client, first.pk, "1250.90", 1, "2026-09-09")
    post_entry(auth_client, first.pk, "300.10", 2, "2026-09-09")
    raw("DELETE FROM ledger_daily_totals")
    raw("DELETE FROM ledger_customer_totals")
    raw('DELETE FROM "transaction"')

    assert raw("SELECT COUNT(*) FROM ledger_daily_totals WHERE qt_transactions < 0") == [(0,)]
    assert raw("SELECT COUNT(*) FROM ledger_customer_totals WHERE qt_transactions < 0") == [(0,)]
    post_entry(auth_client, first.pk, "1250.90", 1, "2026-09-09")

    summary = auth_client.get(
        "/api/transactions/summary", {"date_from": "2026-09-01", "date_to": "2026-09-30"}
    ).json()
    assert summary["summary"] == recomputed_months("2026-09-01", "2026-09-30")
    assert summary["totals"]["vr_total_entradas"] == "1250.90"
    assert auth_client.get(f"/api/customers/{first.pk}/balance").json()["balance"] == (
        recomputed_balance(first.pk)
    )
    assert "0 diferença" in verify()
