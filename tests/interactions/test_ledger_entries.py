"""Ledger entries through the HTTP API: record, list, detail, balance; every refusal."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from domains.interactions.models import Transaction

from .ledger_helpers import balance_of, balance_url, entries_url, post_json, record

ZERO_BALANCE = {
    "vr_total_entradas": "0.00",
    "vr_total_saidas": "0.00",
    "vr_saldo": "0.00",
    "qt_transactions": 0,
}


# --- record --------------------------------------------------------------------------------------


def test_recording_an_entry_answers_201_with_the_entry(auth_client, user, customer, make_product):
    # given
    product = make_product()
    body = {
        "vr_transaction": "1500.50",
        "id_transaction_type": 1,
        "dt_transaction": "2026-11-03",
        "ds_transaction": "Pagamento da fatura 12",
        "cd_product": str(product.cd_product),
    }

    # when
    response = post_json(auth_client, entries_url(customer.cd_customer), body)

    # then
    assert response.status_code == 201
    payload = response.json()
    assert payload["message"] == "Lançamento registrado com sucesso."
    entry = payload["transaction"]
    stored = Transaction.objects.get()
    assert entry == {
        "cd_transaction": str(stored.cd_transaction),
        "cd_customer": str(customer.cd_customer),
        "cd_user": str(user.cd_user),
        "cd_product": str(product.cd_product),
        "vr_transaction": "1500.50",
        "id_transaction_type": 1,
        "dt_transaction": "2026-11-03",
        "ds_transaction": "Pagamento da fatura 12",
        "cd_reversal_of": None,
        "dt_created_at": entry["dt_created_at"],
    }
    assert stored.vr_transaction == Decimal("1500.50")
    assert stored.cd_user == user.cd_user


def test_minimal_entry_defaults_to_today_without_product_or_description(auth_client, customer):
    entry = record(auth_client, customer.cd_customer, amount="7", kind="2")

    assert entry["vr_transaction"] == "7.00"
    assert entry["id_transaction_type"] == 2
    assert entry["dt_transaction"] == timezone.localdate().isoformat()
    assert entry["ds_transaction"] is None
    assert entry["cd_product"] is None


def test_the_author_comes_from_the_token_never_from_the_body(auth_client, user, customer):
    entry = record(auth_client, customer.cd_customer, cd_user=str(uuid.uuid4()))

    assert entry["cd_user"] == str(user.cd_user)


def test_ten_entries_of_ten_cents_balance_to_exactly_one_real(auth_client, customer):
    for _ in range(10):
        record(auth_client, customer.cd_customer, amount="0.10")

    assert balance_of(auth_client, customer.cd_customer) == {
        "cd_customer": str(customer.cd_customer),
        "vr_total_entradas": "1.00",
        "vr_total_saidas": "0.00",
        "vr_saldo": "1.00",
        "qt_transactions": 10,
    }


def test_amounts_sent_as_json_numbers_never_go_through_float(auth_client, customer):
    # given: JSON numbers a float cannot represent exactly
    url = entries_url(customer.cd_customer)
    for raw in ("0.1", "0.2", "9999999999.99", "0.70"):
        response = post_json(
            auth_client, url, f'{{"vr_transaction": {raw}, "id_transaction_type": 1}}'
        )
        assert response.status_code == 201, response.json()
    post_json(auth_client, url, '{"vr_transaction": 10000000000, "id_transaction_type": 1}')

    # then: stored and summed exactly
    assert sorted(Transaction.objects.values_list("vr_transaction", flat=True)) == [
        Decimal("0.10"),
        Decimal("0.20"),
        Decimal("0.70"),
        Decimal("9999999999.99"),
    ]
    assert balance_of(auth_client, customer.cd_customer)["vr_total_entradas"] == "10000000000.99"


def test_trailing_zeros_beyond_two_places_are_the_same_amount(auth_client, customer):
    entry = record(auth_client, customer.cd_customer, amount="12.500")

    assert entry["vr_transaction"] == "12.50"


def test_balance_mixes_entradas_and_saidas_exactly(auth_client, customer, make_customer):
    other = make_customer()
    record(auth_client, customer.cd_customer, amount="100.05", kind=1)
    record(auth_client, customer.cd_customer, amount="0.10", kind=2)
    record(auth_client, customer.cd_customer, amount="250.00", kind=2)
    record(auth_client, other.cd_customer, amount="999.99", kind=1)

    assert balance_of(auth_client, customer.cd_customer) == {
        "cd_customer": str(customer.cd_customer),
        "vr_total_entradas": "100.05",
        "vr_total_saidas": "250.10",
        "vr_saldo": "-150.05",
        "qt_transactions": 3,
    }


def test_balance_of_a_customer_without_entries_is_zero(auth_client, customer):
    assert balance_of(auth_client, customer.cd_customer) == {
        "cd_customer": str(customer.cd_customer),
        **ZERO_BALANCE,
    }


# --- every refusal leaves nothing behind ---------------------------------------------------------

VALID = '"id_transaction_type": 1'

REFUSED_BODIES = {
    "zero": f'{{"vr_transaction": "0", {VALID}}}',
    "zero number": f'{{"vr_transaction": 0.00, {VALID}}}',
    "negative": f'{{"vr_transaction": "-5.00", {VALID}}}',
    "negative number": f'{{"vr_transaction": -5, {VALID}}}',
    "three decimals": f'{{"vr_transaction": "1.005", {VALID}}}',
    "three decimals number": f'{{"vr_transaction": 0.001, {VALID}}}',
    "too large": f'{{"vr_transaction": "10000000000.00", {VALID}}}',
    "too large number": f'{{"vr_transaction": 1e400, {VALID}}}',
    "NaN literal": f'{{"vr_transaction": NaN, {VALID}}}',
    "Infinity literal": f'{{"vr_transaction": Infinity, {VALID}}}',
    "NaN string": f'{{"vr_transaction": "NaN", {VALID}}}',
    "Infinity string": f'{{"vr_transaction": "Infinity", {VALID}}}',
    "exponent string": f'{{"vr_transaction": "1e3", {VALID}}}',
    "comma": f'{{"vr_transaction": "10,50", {VALID}}}',
    "underscores": f'{{"vr_transaction": "1_000", {VALID}}}',
    "abc": f'{{"vr_transaction": "abc", {VALID}}}',
    "empty string": f'{{"vr_transaction": "", {VALID}}}',
    "boolean": f'{{"vr_transaction": true, {VALID}}}',
    "null": f'{{"vr_transaction": null, {VALID}}}',
    "list": f'{{"vr_transaction": [1], {VALID}}}',
    "object": f'{{"vr_transaction": {{"a": 1}}, {VALID}}}',
    "missing amount": f"{{{VALID}}}",
    "missing type": '{"vr_transaction": "10.00"}',
    "type 3": '{"vr_transaction": "10.00", "id_transaction_type": 3}',
    "type 0": '{"vr_transaction": "10.00", "id_transaction_type": 0}',
    "type true": '{"vr_transaction": "10.00", "id_transaction_type": true}',
    "type 1.0": '{"vr_transaction": "10.00", "id_transaction_type": 1.0}',
    "type text": '{"vr_transaction": "10.00", "id_transaction_type": "entrada"}',
    "bad date": f'{{"vr_transaction": "10.00", {VALID}, "dt_transaction": "2026-02-30"}}',
    "date format": f'{{"vr_transaction": "10.00", {VALID}, "dt_transaction": "03/11/2026"}}',
    "date number": f'{{"vr_transaction": "10.00", {VALID}, "dt_transaction": 20261103}}',
    "long description": f'{{"vr_transaction": "10.00", {VALID}, "ds_transaction": "{"x" * 256}"}}',
    "NUL in description": f'{{"vr_transaction": "10.00", {VALID}, "ds_transaction": "a\\u0000b"}}',
    "product not uuid": f'{{"vr_transaction": "10.00", {VALID}, "cd_product": "abc"}}',
    "unknown product": f'{{"vr_transaction": "10.00", {VALID}, "cd_product": "{uuid.uuid4()}"}}',
    "malformed JSON": '{"vr_transaction": "10.00",',
    "JSON array": "[1, 2]",
    "JSON string": '"10.00"',
    "empty object": "{}",
    "huge integer": f'{{"vr_transaction": {"9" * 5000}, {VALID}}}',
}


@pytest.mark.parametrize("raw", REFUSED_BODIES.values(), ids=REFUSED_BODIES.keys())
def test_every_invalid_body_is_a_400_and_changes_nothing(auth_client, customer, ledger_rows, raw):
    # given
    record(auth_client, customer.cd_customer, amount="3.33")
    before = (ledger_rows(), balance_of(auth_client, customer.cd_customer))

    # when
    response = post_json(auth_client, entries_url(customer.cd_customer), raw)

    # then
    assert response.status_code == 400, response.json()
    assert set(response.json()) == {"error"}
    assert (ledger_rows(), balance_of(auth_client, customer.cd_customer)) == before


def test_the_amount_error_names_the_field(auth_client, customer):
    response = post_json(
        auth_client,
        entries_url(customer.cd_customer),
        {"vr_transaction": "1.005", "id_transaction_type": 1},
    )

    assert response.json() == {
        "error": {"vr_transaction": ["O valor deve ter no máximo 2 casas decimais."]}
    }


def test_an_inactive_product_is_refused(auth_client, customer, make_product, ledger_rows):
    product = make_product(is_active=False)

    response = post_json(
        auth_client,
        entries_url(customer.cd_customer),
        {
            "vr_transaction": "10.00",
            "id_transaction_type": 1,
            "cd_product": str(product.cd_product),
        },
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Produto inativo."}
    assert ledger_rows() == (0, 0)


def test_an_unknown_product_is_a_400_not_a_404(auth_client, customer, ledger_rows):
    response = post_json(
        auth_client,
        entries_url(customer.cd_customer),
        {"vr_transaction": "10.00", "id_transaction_type": 1, "cd_product": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Produto não encontrado."}
    assert ledger_rows() == (0, 0)


def test_an_unknown_customer_is_a_404(auth_client, ledger_rows):
    response = post_json(
        auth_client, entries_url(uuid.uuid4()), {"vr_transaction": "1", "id_transaction_type": 1}
    )

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}
    assert ledger_rows() == (0, 0)


def test_an_inactive_customer_receives_no_new_entry(auth_client, make_customer, ledger_rows):
    customer = make_customer(is_customer_active=False)

    response = post_json(
        auth_client,
        entries_url(customer.cd_customer),
        {"vr_transaction": "1", "id_transaction_type": 1},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "Cliente inativo: reative-o para registrar lançamentos."}
    assert ledger_rows() == (0, 0)


@pytest.mark.parametrize(
    "path",
    [
        "/api/customers/abc/transactions",
        "/api/customers/abc/balance",
        "/api/customers/abc/transactions/abc",
        "/api/customers/abc/transactions/abc/reverse",
    ],
)
def test_ids_that_are_not_uuids_are_a_400(auth_client, ledger_rows, path):
    method = auth_client.post if path.endswith(("transactions", "reverse")) else auth_client.get
    response = method(path, data={"vr_transaction": "1", "id_transaction_type": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'customer_id' não é um UUID válido."}
    assert ledger_rows() == (0, 0)


def test_a_transaction_id_that_is_not_a_uuid_is_a_400(auth_client, customer):
    response = auth_client.get(entries_url(customer.cd_customer, "/12"))

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'transaction_id' não é um UUID válido."}


def test_without_a_token_nothing_is_recorded(api_client, customer, ledger_rows):
    response = post_json(
        api_client,
        entries_url(customer.cd_customer),
        {"vr_transaction": 1, "id_transaction_type": 1},
    )

    assert response.status_code == 401
    assert ledger_rows() == (0, 0)


def test_form_posts_are_accepted_with_strings(auth_client, customer):
    response = auth_client.post(
        entries_url(customer.cd_customer),
        data={"vr_transaction": "0.30", "id_transaction_type": "2"},
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["transaction"]["vr_transaction"] == "0.30"
    assert response.json()["transaction"]["id_transaction_type"] == 2


# --- append-only ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_entries_cannot_be_updated_or_deleted(auth_client, customer, method):
    entry = record(auth_client, customer.cd_customer, amount="10.00")
    detail = entries_url(customer.cd_customer, f"/{entry['cd_transaction']}")

    for url in (detail, detail + "/", entries_url(customer.cd_customer)):
        response = getattr(auth_client, method)(url, data={"vr_transaction": "1"}, format="json")
        assert response.status_code == 405
        assert set(response.json()) == {"error"}

    assert Transaction.objects.get().vr_transaction == Decimal("10.00")


# --- list and detail -----------------------------------------------------------------------------


def test_list_is_newest_first_in_the_seed_envelope(auth_client, customer, make_customer):
    other = make_customer()
    old = record(auth_client, customer.cd_customer, amount="1.00", dt_transaction="2026-01-10")
    new = record(auth_client, customer.cd_customer, amount="2.00", dt_transaction="2026-03-10")
    same_day_later = record(
        auth_client, customer.cd_customer, amount="3.00", dt_transaction="2026-03-10"
    )
    record(auth_client, other.cd_customer, amount="4.00")

    response = auth_client.get(entries_url(customer.cd_customer))

    assert response.status_code == 200
    payload = response.json()
    assert [row["cd_transaction"] for row in payload["transactions"]] == [
        same_day_later["cd_transaction"],
        new["cd_transaction"],
        old["cd_transaction"],
    ]
    assert payload["transactions"][2] == old
    assert {key: payload[key] for key in ("total", "pages", "current_page", "per_page")} == {
        "total": 3,
        "pages": 1,
        "current_page": 1,
        "per_page": 20,
    }


def test_list_filters_by_date_range_and_type(auth_client, customer):
    record(auth_client, customer.cd_customer, amount="1.00", kind=1, dt_transaction="2026-01-31")
    wanted = record(
        auth_client, customer.cd_customer, amount="2.00", kind=2, dt_transaction="2026-02-01"
    )
    record(auth_client, customer.cd_customer, amount="3.00", kind=1, dt_transaction="2026-02-15")
    record(auth_client, customer.cd_customer, amount="4.00", kind=2, dt_transaction="2026-03-01")

    response = auth_client.get(
        entries_url(customer.cd_customer),
        {"date_from": "2026-02-01", "date_to": "2026-02-28", "id_transaction_type": "2"},
    )

    assert response.status_code == 200
    assert response.json()["transactions"] == [wanted]
    assert response.json()["total"] == 1


def test_list_paginates(auth_client, customer):
    for day in range(1, 6):
        record(auth_client, customer.cd_customer, dt_transaction=f"2026-05-0{day}")

    response = auth_client.get(entries_url(customer.cd_customer), {"per_page": 2, "page": 3})

    payload = response.json()
    assert [row["dt_transaction"] for row in payload["transactions"]] == ["2026-05-01"]
    assert (payload["total"], payload["pages"], payload["current_page"]) == (5, 3, 3)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "abc"}, "date_from"),
        ({"date_to": "2026-13-01"}, "date_to"),
        ({"id_transaction_type": "3"}, "id_transaction_type"),
        ({"id_transaction_type": "entrada"}, "id_transaction_type"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "date_from"),
        ({"page": "abc"}, "page"),
        ({"per_page": "-1"}, "per_page"),
    ],
)
def test_invalid_list_parameters_are_a_400(auth_client, customer, params, field):
    response = auth_client.get(entries_url(customer.cd_customer), params)

    assert response.status_code == 400
    assert list(response.json()["error"]) == [field]


def test_a_nul_byte_in_a_query_parameter_is_a_400(auth_client, customer):
    response = auth_client.get(entries_url(customer.cd_customer), {"date_from": "2026\x00"})

    assert response.status_code == 400


def test_list_of_an_unknown_customer_is_a_404(auth_client):
    response = auth_client.get(entries_url(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


def test_list_runs_the_same_queries_for_1_and_50_per_page(auth_client, customer):
    for _ in range(50):
        record(auth_client, customer.cd_customer)

    counts = []
    for per_page in (1, 50):
        with (
            CaptureQueriesContext(connections["interactions"]) as ledger,
            CaptureQueriesContext(connections["customers"]) as customers,
            CaptureQueriesContext(connections["default"]) as accounts,
        ):
            response = auth_client.get(entries_url(customer.cd_customer), {"per_page": per_page})
        assert len(response.json()["transactions"]) == per_page
        counts.append((len(ledger), len(customers), len(accounts)))

    assert counts[0] == counts[1]
    assert counts[0][0] == 1  # the first page carries its total: COUNT(*) OVER ()
    with CaptureQueriesContext(connections["interactions"]) as ledger:
        later = auth_client.get(entries_url(customer.cd_customer), {"per_page": 20, "page": 3})
    assert len(ledger) == 2  # a later page: COUNT + the page
    assert (later.json()["total"], len(later.json()["transactions"])) == (50, 10)


def test_detail_shows_one_entry(auth_client, customer):
    entry = record(auth_client, customer.cd_customer, amount="5.55")

    response = auth_client.get(entries_url(customer.cd_customer, f"/{entry['cd_transaction']}/"))

    assert response.status_code == 200
    assert response.json() == {"transaction": entry}


def test_detail_of_another_customers_entry_is_a_404(auth_client, customer, make_customer):
    other = make_customer()
    entry = record(auth_client, other.cd_customer)

    response = auth_client.get(entries_url(customer.cd_customer, f"/{entry['cd_transaction']}"))

    assert response.status_code == 404
    assert response.json() == {"error": "Lançamento não encontrado."}


@pytest.mark.parametrize("slash", ["", "/"])
def test_every_ledger_path_answers_with_and_without_trailing_slash(auth_client, customer, slash):
    created = post_json(
        auth_client,
        entries_url(customer.cd_customer) + slash,
        {"vr_transaction": "1.00", "id_transaction_type": 1},
    )
    assert created.status_code == 201
    cd = created.json()["transaction"]["cd_transaction"]

    assert auth_client.get(entries_url(customer.cd_customer) + slash).status_code == 200
    assert auth_client.get(entries_url(customer.cd_customer, f"/{cd}{slash}")).status_code == 200
    assert auth_client.get(balance_url(customer.cd_customer) + slash).status_code == 200
    assert auth_client.get(f"/api/transactions/summary{slash}").status_code == 200
    reversed_ = post_json(
        auth_client, entries_url(customer.cd_customer, f"/{cd}/reverse{slash}"), {}
    )
    assert reversed_.status_code == 201


def test_balance_of_an_unknown_customer_is_a_404(auth_client):
    response = auth_client.get(balance_url(uuid.uuid4()))

    assert response.status_code == 404


def test_balance_is_available_through_the_interface(auth_client, customer):
    from domains.interactions.interface import CustomerBalance, customer_balance

    record(auth_client, customer.cd_customer, amount="0.10", kind=1)
    record(auth_client, customer.cd_customer, amount="0.20", kind=2)

    assert customer_balance(customer_id=customer.cd_customer) == CustomerBalance(
        vr_total_entradas=Decimal("0.10"),
        vr_total_saidas=Decimal("0.20"),
        vr_saldo=Decimal("-0.10"),
        qt_transactions=2,
    )


def test_a_future_date_is_kept_as_given(auth_client, customer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    entry = record(auth_client, customer.cd_customer, dt_transaction=tomorrow.isoformat())

    assert entry["dt_transaction"] == tomorrow.isoformat()


def test_the_browsable_api_offers_the_entry_form(staff_user, customer):
    from django.test import Client

    client = Client()
    client.force_login(staff_user)

    response = client.get(entries_url(customer.cd_customer), HTTP_ACCEPT="text/html")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'name="vr_transaction"' in html
    assert 'name="id_transaction_type"' in html
