"""Every customers path answers with and without a trailing slash, every method, no redirect."""

from __future__ import annotations

import pytest

from domains.customers import services
from domains.customers.models import Customer


@pytest.mark.parametrize("slash", ["", "/"])
def test_create_and_list_with_and_without_slash(auth_client, slash):
    created = auth_client.post(
        f"/api/customers{slash}", {"ds_customer_name": f"Cliente{slash}"}, format="json"
    )
    listed = auth_client.get(f"/api/customers{slash}")

    assert created.status_code == 201
    assert listed.status_code == 200
    assert listed.json()["total"] == 1


@pytest.mark.parametrize("slash", ["", "/"])
def test_detail_methods_with_and_without_slash(auth_client, make_customer, slash):
    customer = make_customer(ds_customer_name="Ana")
    url = f"/api/customers/{customer.pk}{slash}"

    responses = {
        "get": auth_client.get(url),
        "put": auth_client.put(url, {"ds_customer_city": "Recife"}, format="json"),
        "patch": auth_client.patch(url, {"ds_customer_state": "pe"}, format="json"),
        "delete": auth_client.delete(url),
    }

    assert {method: r.status_code for method, r in responses.items()} == {
        "get": 200,
        "put": 200,
        "patch": 200,
        "delete": 200,
    }
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.ds_customer_city, stored.ds_customer_state) == ("Recife", "PE")
    assert stored.is_customer_active is False


@pytest.mark.parametrize("slash", ["", "/"])
def test_hard_delete_with_and_without_slash(auth_client, make_customer, slash):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.delete(f"/api/customers/{customer.pk}{slash}?hard_delete=true")

    assert response.status_code == 200
    assert not Customer.objects.filter(pk=customer.pk).exists()


@pytest.mark.parametrize("slash", ["", "/"])
def test_activate_with_and_without_slash(auth_client, make_customer, slash):
    customer = make_customer(ds_customer_name="Ana")
    services.customer_deactivate(customer_id=customer.pk)

    response = auth_client.patch(f"/api/customers/{customer.pk}/activate{slash}")

    assert response.status_code == 200
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True
