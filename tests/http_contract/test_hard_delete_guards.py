"""The hard-delete guards: a customer or product with ledger entries is a 409 and nothing is
deleted, whichever process owns the row and whichever holds the entries; without entries a
customer's hard delete takes its timeline with it."""

from __future__ import annotations

import httpx

from .client import expect, expect_error


def test_a_customer_with_ledger_entries_is_not_hard_deleted(api: httpx.Client, make_customer):
    customer = make_customer()
    customer_id = customer["cd_customer"]
    interaction = expect(
        api.post(
            f"/api/customers/{customer_id}/interactions",
            json={"ds_notes": "Fechou pedido", "id_interaction_type": "venda"},
        ),
        201,
    )["interaction"]
    expect(
        api.post(
            f"/api/customers/{customer_id}/transactions",
            json={"vr_transaction": "10", "id_transaction_type": 1},
        ),
        201,
    )

    refused = api.delete(f"/api/customers/{customer_id}", params={"hard_delete": "true"})

    assert isinstance(expect_error(refused, 409), str)
    assert expect(api.get(f"/api/customers/{customer_id}"), 200)["customer"] == customer
    timeline = expect(api.get(f"/api/customers/{customer_id}/interactions"), 200)
    assert [item["cd_interaction"] for item in timeline["interactions"]] == [
        interaction["cd_interaction"]
    ]
    assert (
        expect(api.get(f"/api/customers/{customer_id}/balance"), 200)["balance"]["qt_transactions"]
        == 1
    )
    # A reversal is one more entry, not a way out of the guard.
    entry = expect(api.get(f"/api/customers/{customer_id}/transactions"), 200)["transactions"][0]
    expect(
        api.post(f"/api/customers/{customer_id}/transactions/{entry['cd_transaction']}/reverse"),
        201,
    )
    expect_error(api.delete(f"/api/customers/{customer_id}?hard_delete=true"), 409)
    # The soft delete is what remains, and is allowed.
    expect(api.delete(f"/api/customers/{customer_id}"), 200)


def test_a_product_referenced_by_ledger_entries_is_not_hard_deleted(
    api: httpx.Client, make_customer, make_product
):
    product = make_product()
    customer_id = make_customer()["cd_customer"]
    expect(
        api.post(
            f"/api/customers/{customer_id}/transactions",
            json={
                "vr_transaction": "10",
                "id_transaction_type": 1,
                "cd_product": product["cd_product"],
            },
        ),
        201,
    )

    refused = api.delete(f"/api/products/{product['cd_product']}", params={"hard_delete": "true"})

    assert isinstance(expect_error(refused, 409), str)
    assert expect(api.get(f"/api/products/{product['cd_product']}"), 200)["product"] == product


def test_a_customer_without_entries_is_hard_deleted_with_its_interactions(
    api: httpx.Client, make_customer
):
    customer_id = make_customer()["cd_customer"]
    for notes in ("Primeiro contato", "Segundo contato"):
        expect(
            api.post(
                f"/api/customers/{customer_id}/interactions",
                json={"ds_notes": notes, "id_interaction_type": "contato"},
            ),
            201,
        )

    expect(api.delete(f"/api/customers/{customer_id}", params={"hard_delete": "true"}), 200)

    expect_error(api.get(f"/api/customers/{customer_id}"), 404)
    expect_error(api.get(f"/api/customers/{customer_id}/interactions"), 404)
    expect_error(api.get(f"/api/customers/{customer_id}/balance"), 404)
