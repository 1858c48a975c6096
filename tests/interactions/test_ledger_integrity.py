"""Other domains cannot pull the ground from under the ledger (hooks, not imports)."""

from __future__ import annotations

from django.apps import apps

from domains.interactions.models import Transaction

from .ledger_helpers import balance_of, post_json, record


def test_hard_deleting_a_product_referenced_by_entries_is_a_409(
    auth_client, customer, make_product
):
    # given
    product = make_product()
    record(auth_client, customer.cd_customer, cd_product=str(product.cd_product))

    # when
    response = auth_client.delete(f"/api/products/{product.cd_product}?hard_delete=true")

    # then
    assert response.status_code == 409
    assert response.json() == {
        "error": "Produto referenciado por lançamentos financeiros não pode ser excluído "
        "definitivamente; desative-o."
    }
    assert apps.get_model("products", "Product").objects.filter(pk=product.pk).exists()


def test_a_referenced_product_can_still_be_deactivated_then_refused_for_new_entries(
    auth_client, customer, make_product
):
    product = make_product()
    record(auth_client, customer.cd_customer, cd_product=str(product.cd_product))

    soft = auth_client.delete(f"/api/products/{product.cd_product}")
    refused = post_json(
        auth_client,
        f"/api/customers/{customer.cd_customer}/transactions",
        {"vr_transaction": "1", "id_transaction_type": 1, "cd_product": str(product.cd_product)},
    )

    assert soft.status_code == 200
    assert refused.status_code == 400
    assert refused.json() == {"error": "Produto inativo."}
    assert Transaction.objects.count() == 1


def test_hard_deleting_an_unreferenced_product_still_works(auth_client, make_product):
    product = make_product()

    response = auth_client.delete(f"/api/products/{product.cd_product}?hard_delete=true")

    assert response.status_code == 200
    assert not apps.get_model("products", "Product").objects.filter(pk=product.pk).exists()


def test_hard_deleting_a_customer_with_entries_is_a_409_and_keeps_the_ledger(auth_client, customer):
    record(auth_client, customer.cd_customer, amount="12.34")

    response = auth_client.delete(f"/api/customers/{customer.cd_customer}?hard_delete=true")

    assert response.status_code == 409
    assert apps.get_model("customers", "Customer").objects.filter(pk=customer.pk).exists()
    assert balance_of(auth_client, customer.cd_customer)["vr_saldo"] == "12.34"
