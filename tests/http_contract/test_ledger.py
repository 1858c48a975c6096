"""The ledger our README adds: entries, reversal, balance, summary, idempotent retries."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

import httpx

from .client import expect, expect_error, tag
from .conftest import Account

TRANSACTION_FIELDS = {
    "cd_transaction",
    "cd_customer",
    "cd_user",
    "cd_product",
    "vr_transaction",
    "id_transaction_type",
    "dt_transaction",
    "ds_transaction",
    "cd_reversal_of",
}


def a_day_of_our_own() -> str:
    """A date no other run books on (future dates are accepted): the summary of that day is
    this test's alone, even on a deployment that holds other entries."""
    return (date(2400, 1, 1) + timedelta(days=random.randrange(180_000))).isoformat()


def test_entries_reversal_and_balance_are_exact(
    api: httpx.Client, manager: Account, make_customer, make_product
):
    customer_id = make_customer()["cd_customer"]
    product_id = make_product()["cd_product"]
    path = f"/api/customers/{customer_id}/transactions"

    created = expect(
        api.post(
            path,
            json={
                "vr_transaction": "1250.90",
                "id_transaction_type": 1,
                "dt_transaction": "2026-11-29",
                "ds_transaction": "Pedido 1042",
                "cd_product": product_id,
            },
        ),
        201,
    )
    assert set(created) == {"message", "transaction"}
    entry = created["transaction"]
    assert set(entry) >= TRANSACTION_FIELDS
    assert (entry["vr_transaction"], entry["id_transaction_type"], entry["dt_transaction"]) == (
        "1250.90",
        1,
        "2026-11-29",
    )
    assert (entry["cd_customer"], entry["cd_user"], entry["cd_product"]) == (
        customer_id,
        manager.cd_user,
        product_id,
    )
    assert entry["cd_reversal_of"] is None
    # A JSON number is read as a decimal, never a float: 0.1 + 0.2 stays 0.30.
    expect(api.post(path + "/", json={"vr_transaction": 0.1, "id_transaction_type": 2}), 201)
    expect(api.post(path, json={"vr_transaction": 0.2, "id_transaction_type": 2}), 201)

    assert expect(api.get(f"{path}/{entry['cd_transaction']}"), 200) == {"transaction": entry}
    balance = expect(api.get(f"/api/customers/{customer_id}/balance"), 200)["balance"]
    assert balance == {
        "cd_customer": customer_id,
        "vr_total_entradas": "1250.90",
        "vr_total_saidas": "0.30",
        "vr_saldo": "1250.60",
        "qt_transactions": 3,
    }

    reversal = expect(api.post(f"{path}/{entry['cd_transaction']}/reverse"), 201)["transaction"]
    assert reversal["cd_reversal_of"] == entry["cd_transaction"]
    assert (reversal["vr_transaction"], reversal["id_transaction_type"]) == ("1250.90", 2)
    assert isinstance(expect_error(api.post(f"{path}/{entry['cd_transaction']}/reverse"), 409), str)
    balance = expect(api.get(f"/api/customers/{customer_id}/balance/"), 200)["balance"]
    assert (balance["vr_saldo"], balance["qt_transactions"]) == ("-0.30", 4)

    listed = expect(api.get(path, params={"id_transaction_type": 1}), 200)
    assert {"transactions", "total", "pages", "current_page", "per_page"} <= set(listed)
    assert [item["cd_transaction"] for item in listed["transactions"]] == [entry["cd_transaction"]]
    november = expect(
        api.get(path, params={"date_from": "2026-11-01", "date_to": "2026-11-30"}), 200
    )
    assert november["total"] == 1


def test_entries_are_never_edited_or_deleted(api: httpx.Client, make_customer):
    customer_id = make_customer()["cd_customer"]
    path = f"/api/customers/{customer_id}/transactions"
    entry = expect(api.post(path, json={"vr_transaction": "5", "id_transaction_type": 1}), 201)

    item = f"{path}/{entry['transaction']['cd_transaction']}"
    expect_error(api.put(item, json={"vr_transaction": "6"}), 405)
    expect_error(api.delete(item), 405)
    assert expect(api.get(item), 200)["transaction"]["vr_transaction"] == "5.00"


def test_the_summary_totals_a_period_by_month(api: httpx.Client, make_customer):
    day = a_day_of_our_own()
    first = make_customer()["cd_customer"]
    second = make_customer()["cd_customer"]
    for customer_id, amount, kind in ((first, "100.10", 1), (second, "40.05", 1), (first, "30", 2)):
        expect(
            api.post(
                f"/api/customers/{customer_id}/transactions",
                json={"vr_transaction": amount, "id_transaction_type": kind, "dt_transaction": day},
            ),
            201,
        )

    summary = expect(
        api.get("/api/transactions/summary", params={"date_from": day, "date_to": day}), 200
    )

    expected = {
        "vr_total_entradas": "140.15",
        "vr_total_saidas": "30.00",
        "vr_saldo": "110.15",
        "qt_transactions": 3,
    }
    assert summary["summary"] == [{"month": day[:7], **expected}]
    assert summary["totals"] == expected
    assert (summary["date_from"], summary["date_to"]) == (day, day)
    expect_error(api.get("/api/transactions/summary", params={"date_from": "ontem"}), 400)


def test_a_retried_post_with_the_same_idempotency_key_records_one_entry(
    api: httpx.Client, make_customer
):
    customer_id = make_customer()["cd_customer"]
    path = f"/api/customers/{customer_id}/transactions"
    key = {"Idempotency-Key": f"contrato-{tag()}"}
    body = {"vr_transaction": "19.90", "id_transaction_type": 1, "ds_transaction": "Pedido"}

    first = expect(api.post(path, json=body, headers=key), 201)["transaction"]
    retried = expect(api.post(path + "/", json=body, headers=key), 201)["transaction"]
    other_body = api.post(path, json={**body, "vr_transaction": "19.91"}, headers=key)

    assert retried == first
    assert isinstance(expect_error(other_body, 409), str)
    assert expect(api.get(path), 200)["total"] == 1
    assert (
        expect(api.get(f"/api/customers/{customer_id}/balance"), 200)["balance"][
            "vr_total_entradas"
        ]
        == "19.90"
    )


def test_invalid_entries_are_400_unknown_ones_404_and_nothing_is_recorded(
    api: httpx.Client, make_customer, make_product
):
    customer = make_customer()
    path = f"/api/customers/{customer['cd_customer']}/transactions"
    inactive_product = make_product()
    expect(api.delete(f"/api/products/{inactive_product['cd_product']}"), 200)

    for body in (
        {"vr_transaction": "0", "id_transaction_type": 1},
        {"vr_transaction": "1.005", "id_transaction_type": 1},
        {"vr_transaction": "-3", "id_transaction_type": 2},
        {"vr_transaction": "10", "id_transaction_type": 3},
        {"vr_transaction": "dez", "id_transaction_type": 1},
        {"vr_transaction": "10", "id_transaction_type": 1, "cd_product": str(uuid.uuid4())},
        {
            "vr_transaction": "10",
            "id_transaction_type": 1,
            "cd_product": inactive_product["cd_product"],
        },
    ):
        expect_error(api.post(path, json=body), 400)
    expect_error(
        api.post(
            f"/api/customers/{uuid.uuid4()}/transactions",
            json={"vr_transaction": "10", "id_transaction_type": 1},
        ),
        404,
    )
    expect_error(api.get(f"{path}/{uuid.uuid4()}"), 404)
    expect_error(api.get(f"/api/customers/{uuid.uuid4()}/balance"), 404)

    expect(api.delete(f"/api/customers/{customer['cd_customer']}"), 200)
    inactive = api.post(path, json={"vr_transaction": "10", "id_transaction_type": 1})
    expect_error(inactive, 400)
    assert expect(api.get(path), 200)["total"] == 0
