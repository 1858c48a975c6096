"""``GET /api/transactions/export`` and the ledger admin's export: every customer's entries (or
one customer's), the ledger list's filters, names from the customers domain, streamed."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from domains.interactions.ledger.selectors import EXPORT_COLUMNS
from tests.spreadsheet_helpers import read_csv, read_xlsx

from .ledger_helpers import record

EXPORT_URL = "/api/transactions/export"


def _download(response) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def _entries(auth_client, make_customer):
    ana = make_customer(ds_customer_name="Ana Souza")
    bruno = make_customer(ds_customer_name="Bruno Lima")
    record(auth_client, ana.cd_customer, amount="1250.90", kind=1, dt_transaction="2026-11-05")
    record(auth_client, ana.cd_customer, amount="300.10", kind=2, dt_transaction="2026-11-20")
    record(auth_client, bruno.cd_customer, amount="50.00", kind=1, dt_transaction="2026-10-01")
    return ana, bruno


def test_exports_every_entry_newest_first_with_customer_names(auth_client, make_customer):
    _entries(auth_client, make_customer)

    rows = read_csv(_download(auth_client.get(EXPORT_URL)))

    assert tuple(rows[0]) == EXPORT_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(r["dt_transaction"], r["vr_transaction"], r["ds_customer_name"]) for r in records] == [
        ("2026-11-20", "300.10", "Ana Souza"),
        ("2026-11-05", "1250.90", "Ana Souza"),
        ("2026-10-01", "50.00", "Bruno Lima"),
    ]


def test_filters_of_the_ledger_list_and_one_customer(auth_client, make_customer):
    ana, _ = _entries(auth_client, make_customer)

    november = read_csv(
        _download(auth_client.get(EXPORT_URL, {"date_from": "2026-11-01", "date_to": "2026-11-30"}))
    )
    entradas_of_ana = read_xlsx(
        _download(
            auth_client.get(
                EXPORT_URL,
                {"format": "xlsx", "cd_customer": str(ana.cd_customer), "id_transaction_type": "1"},
            )
        )
    )

    assert len(november) == 3
    assert len(entradas_of_ana) == 2
    record_ = dict(zip(entradas_of_ana[0], entradas_of_ana[1], strict=True))
    assert record_["vr_transaction"] == 1250.9
    assert record_["id_transaction_type"] == 1
    assert record_["dt_transaction"] == "2026-11-05"


def test_bad_parameters_are_400s(auth_client):
    assert auth_client.get(EXPORT_URL, {"format": "pdf"}).json() == {
        "error": "Formato inválido: use csv ou xlsx."
    }
    assert auth_client.get(EXPORT_URL, {"date_from": "05/11/2026"}).status_code == 400
    assert auth_client.get(EXPORT_URL, {"id_transaction_type": "3"}).status_code == 400
    assert auth_client.get(EXPORT_URL, {"cd_customer": "abc"}).status_code == 400


def test_names_are_fetched_in_batches_not_per_row(
    auth_client, make_customer, user, django_assert_max_num_queries
):
    from django.apps import apps

    customers = [make_customer() for _ in range(30)]
    transactions = apps.get_model("interactions", "Transaction").objects
    for customer in customers:
        for day in range(1, 6):
            transactions.create(
                cd_customer=customer.cd_customer,
                cd_user=user.cd_user,
                vr_transaction="1.00",
                id_transaction_type=1,
                dt_transaction=dt.date(2026, 11, day),
            )
    response = auth_client.get(EXPORT_URL)

    with django_assert_max_num_queries(5):
        rows = read_csv(b"".join(response.streaming_content))

    assert len(rows) == 151


def test_ledger_admin_exports_its_filtered_list_and_offers_no_import(
    client, staff_user, auth_client, make_customer
):
    _entries(auth_client, make_customer)
    client.force_login(staff_user)

    changelist = client.get("/admin/interactions/transaction/").content.decode()
    exported = read_csv(
        _download(
            client.get(
                reverse("admin:interactions_transaction_export") + "?id_transaction_type__exact=2"
            )
        )
    )

    assert "crm-export-csv" in changelist
    assert "crm-import-link" not in changelist
    assert [row[3] for row in exported[1:]] == ["300.10"]
    assert client.get(reverse("admin:interactions_transaction_import")).status_code == 403
