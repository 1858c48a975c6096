"""Reversals: the only way to correct an append-only ledger."""

from __future__ import annotations

import uuid

from django.utils import timezone

from domains.interactions.models import Transaction

from .ledger_helpers import balance_of, entries_url, post_json, record


def reverse_url(customer_id, transaction_id) -> str:
    return entries_url(customer_id, f"/{transaction_id}/reverse")


def test_reversal_records_the_opposite_entry_and_cancels_the_balance(
    auth_client, user, customer, make_product
):
    # given
    product = make_product()
    original = record(
        auth_client,
        customer.cd_customer,
        amount="250.75",
        kind=1,
        dt_transaction="2026-01-05",
        cd_product=str(product.cd_product),
    )

    # when
    response = post_json(
        auth_client,
        reverse_url(customer.cd_customer, original["cd_transaction"]),
        {"ds_transaction": "Lançado em duplicidade"},
    )

    # then
    assert response.status_code == 201
    payload = response.json()
    assert payload["message"] == "Lançamento estornado com sucesso."
    reversal = payload["transaction"]
    assert reversal == {
        "cd_transaction": reversal["cd_transaction"],
        "cd_customer": str(customer.cd_customer),
        "cd_user": str(user.cd_user),
        "cd_product": str(product.cd_product),
        "vr_transaction": "250.75",
        "id_transaction_type": 2,
        "dt_transaction": timezone.localdate().isoformat(),
        "ds_transaction": "Lançado em duplicidade",
        "cd_reversal_of": original["cd_transaction"],
        "dt_created_at": reversal["dt_created_at"],
    }
    assert balance_of(auth_client, customer.cd_customer) == {
        "cd_customer": str(customer.cd_customer),
        "vr_total_entradas": "250.75",
        "vr_total_saidas": "250.75",
        "vr_saldo": "0.00",
        "qt_transactions": 2,
    }
    # the original is untouched
    detail = auth_client.get(entries_url(customer.cd_customer, f"/{original['cd_transaction']}"))
    assert detail.json()["transaction"] == original


def test_reversing_a_saida_records_an_entrada_with_a_default_description(auth_client, customer):
    original = record(auth_client, customer.cd_customer, amount="9.90", kind=2)

    response = post_json(
        auth_client, reverse_url(customer.cd_customer, original["cd_transaction"]), {}
    )

    reversal = response.json()["transaction"]
    assert reversal["id_transaction_type"] == 1
    assert reversal["ds_transaction"] == f"Estorno do lançamento {original['cd_transaction']}"


def test_reversal_without_a_body_is_accepted(auth_client, customer):
    original = record(auth_client, customer.cd_customer)

    response = auth_client.post(reverse_url(customer.cd_customer, original["cd_transaction"]))

    assert response.status_code == 201


def test_a_second_reversal_is_a_409_and_records_nothing(auth_client, customer, ledger_rows):
    original = record(auth_client, customer.cd_customer)
    post_json(auth_client, reverse_url(customer.cd_customer, original["cd_transaction"]), {})
    before = (ledger_rows(), balance_of(auth_client, customer.cd_customer))

    response = post_json(
        auth_client, reverse_url(customer.cd_customer, original["cd_transaction"]), {}
    )

    assert response.status_code == 409
    assert response.json() == {"error": "Este lançamento já foi estornado."}
    assert (ledger_rows(), balance_of(auth_client, customer.cd_customer)) == before


def test_a_reversal_cannot_be_reversed(auth_client, customer, ledger_rows):
    original = record(auth_client, customer.cd_customer)
    reversal = post_json(
        auth_client, reverse_url(customer.cd_customer, original["cd_transaction"]), {}
    ).json()["transaction"]
    before = ledger_rows()

    response = post_json(
        auth_client, reverse_url(customer.cd_customer, reversal["cd_transaction"]), {}
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": "Um estorno não pode ser estornado; registre um novo lançamento."
    }
    assert ledger_rows() == before


def test_reversing_another_customers_entry_is_a_404(
    auth_client, customer, make_customer, ledger_rows
):
    other = make_customer()
    entry = record(auth_client, other.cd_customer)
    before = ledger_rows()

    response = post_json(
        auth_client, reverse_url(customer.cd_customer, entry["cd_transaction"]), {}
    )

    assert response.status_code == 404
    assert response.json() == {"error": "Lançamento não encontrado."}
    assert ledger_rows() == before


def test_reversing_an_unknown_entry_or_for_an_unknown_customer_is_a_404(auth_client, customer):
    entry = record(auth_client, customer.cd_customer)

    unknown_entry = post_json(auth_client, reverse_url(customer.cd_customer, uuid.uuid4()), {})
    unknown_customer = post_json(
        auth_client, reverse_url(uuid.uuid4(), entry["cd_transaction"]), {}
    )

    assert unknown_entry.status_code == 404
    assert unknown_customer.status_code == 404
    assert unknown_customer.json() == {"error": "Cliente não encontrado."}
    assert Transaction.objects.count() == 1


def test_an_inactive_customers_entry_can_still_be_reversed(auth_client, customer):
    original = record(auth_client, customer.cd_customer)
    customer.is_customer_active = False
    customer.save()

    response = post_json(
        auth_client, reverse_url(customer.cd_customer, original["cd_transaction"]), {}
    )

    assert response.status_code == 201


def test_a_reversal_description_longer_than_255_is_a_400(auth_client, customer, ledger_rows):
    original = record(auth_client, customer.cd_customer)
    before = ledger_rows()

    response = post_json(
        auth_client,
        reverse_url(customer.cd_customer, original["cd_transaction"]),
        {"ds_transaction": "x" * 256},
    )

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["ds_transaction"]
    assert ledger_rows() == before
