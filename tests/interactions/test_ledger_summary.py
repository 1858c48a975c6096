"""``GET /api/transactions/summary``: the monthly cash flow across all customers."""

from __future__ import annotations

import pytest

from .ledger_helpers import record

SUMMARY_URL = "/api/transactions/summary"
ZERO = {"vr_total_entradas": "0.00", "vr_total_saidas": "0.00", "vr_saldo": "0.00"}


@pytest.fixture
def cash_flow(auth_client, customer, make_customer):
    other = make_customer()
    record(auth_client, customer.cd_customer, amount="0.10", kind=1, dt_transaction="2026-01-01")
    record(auth_client, other.cd_customer, amount="0.20", kind=1, dt_transaction="2026-01-31")
    record(auth_client, customer.cd_customer, amount="5.00", kind=2, dt_transaction="2026-01-15")
    record(auth_client, other.cd_customer, amount="100.00", kind=2, dt_transaction="2026-03-10")
    record(auth_client, customer.cd_customer, amount="0.70", kind=1, dt_transaction="2025-12-31")


def test_summary_totals_each_month_in_order(auth_client, cash_flow):
    response = auth_client.get(SUMMARY_URL)

    assert response.status_code == 200
    assert response.json() == {
        "summary": [
            {
                "month": "2025-12",
                "vr_total_entradas": "0.70",
                "vr_total_saidas": "0.00",
                "vr_saldo": "0.70",
                "qt_transactions": 1,
            },
            {
                "month": "2026-01",
                "vr_total_entradas": "0.30",
                "vr_total_saidas": "5.00",
                "vr_saldo": "-4.70",
                "qt_transactions": 3,
            },
            {
                "month": "2026-03",
                "vr_total_entradas": "0.00",
                "vr_total_saidas": "100.00",
                "vr_saldo": "-100.00",
                "qt_transactions": 1,
            },
        ],
        "totals": {
            "vr_total_entradas": "1.00",
            "vr_total_saidas": "105.00",
            "vr_saldo": "-104.00",
            "qt_transactions": 5,
        },
        "date_from": None,
        "date_to": None,
    }


def test_summary_restricted_to_a_date_range(auth_client, cash_flow):
    response = auth_client.get(SUMMARY_URL, {"date_from": "2026-01-15", "date_to": "2026-02-28"})

    assert response.json() == {
        "summary": [
            {
                "month": "2026-01",
                "vr_total_entradas": "0.20",
                "vr_total_saidas": "5.00",
                "vr_saldo": "-4.80",
                "qt_transactions": 2,
            }
        ],
        "totals": {
            "vr_total_entradas": "0.20",
            "vr_total_saidas": "5.00",
            "vr_saldo": "-4.80",
            "qt_transactions": 2,
        },
        "date_from": "2026-01-15",
        "date_to": "2026-02-28",
    }


def test_summary_of_an_empty_ledger(auth_client):
    response = auth_client.get(SUMMARY_URL, {"date_from": "2026-01-01"})

    assert response.json() == {
        "summary": [],
        "totals": {**ZERO, "qt_transactions": 0},
        "date_from": "2026-01-01",
        "date_to": None,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2026-02-30"}, "date_from"),
        ({"date_to": "ontem"}, "date_to"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_from"),
    ],
)
def test_summary_rejects_invalid_dates(auth_client, params, field):
    response = auth_client.get(SUMMARY_URL, params)

    assert response.status_code == 400
    assert list(response.json()["error"]) == [field]


def test_summary_requires_a_token(api_client):
    assert api_client.get(SUMMARY_URL).status_code == 401
