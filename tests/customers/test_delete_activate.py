"""DELETE /api/customers/<id> (soft and hard) and PATCH /api/customers/<id>/activate."""

from __future__ import annotations

import uuid

import pytest

from domains.customers import services
from domains.customers.models import Customer

from .conftest import activate_url, detail_url


def test_delete_deactivates_by_default(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.delete(detail_url(customer.pk))

    assert response.status_code == 200
    assert response.json() == {"message": "Cliente desativado com sucesso."}
    assert Customer.objects.get(pk=customer.pk).is_customer_active is False


def test_delete_with_hard_delete_false_deactivates(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.delete(f"{detail_url(customer.pk)}?hard_delete=false")

    assert response.status_code == 200
    assert response.json() == {"message": "Cliente desativado com sucesso."}
    assert Customer.objects.get(pk=customer.pk).is_customer_active is False


def test_deactivating_twice_is_harmless(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")
    auth_client.delete(detail_url(customer.pk))

    response = auth_client.delete(detail_url(customer.pk))

    assert response.status_code == 200
    assert Customer.objects.get(pk=customer.pk).is_customer_active is False


def test_hard_delete_removes_the_customer(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.delete(f"{detail_url(customer.pk)}?hard_delete=true")

    assert response.status_code == 200
    assert response.json() == {"message": "Cliente removido permanentemente."}
    assert not Customer.objects.filter(pk=customer.pk).exists()
    assert auth_client.get(detail_url(customer.pk)).status_code == 404


@pytest.mark.parametrize("value", ["sim", "1", "yes", "\x00"])
def test_hard_delete_other_than_true_or_false_answers_400_and_deletes_nothing(
    auth_client, make_customer, value
):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.delete(detail_url(customer.pk), QUERY_STRING=f"hard_delete={value}")

    assert response.status_code == 400
    assert response.json() == {"error": {"hard_delete": ["Use 'true' ou 'false'."]}}
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True


@pytest.mark.parametrize("query", ["", "?hard_delete=true"])
def test_delete_of_an_unknown_id_answers_404(auth_client, query):
    response = auth_client.delete(f"{detail_url(uuid.uuid4())}{query}")

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


def test_delete_requires_authentication(api_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = api_client.delete(detail_url(customer.pk))

    assert response.status_code == 401
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True


def test_activate_reactivates_a_deactivated_customer(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")
    services.customer_deactivate(customer_id=customer.pk)

    response = auth_client.patch(activate_url(customer.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Cliente ativado com sucesso."
    assert body["customer"]["is_customer_active"] is True
    assert body["customer"]["cd_customer"] == str(customer.pk)
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True


def test_activate_an_active_customer_is_harmless(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.patch(activate_url(customer.pk))

    assert response.status_code == 200
    assert response.json()["customer"]["is_customer_active"] is True


def test_activate_of_an_unknown_or_malformed_id(auth_client):
    unknown = auth_client.patch(activate_url(uuid.uuid4()))
    malformed = auth_client.patch(activate_url("not-a-uuid"))

    assert unknown.status_code == 404
    assert unknown.json() == {"error": "Cliente não encontrado."}
    assert malformed.status_code == 400


def test_activate_answers_405_to_other_methods(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.post(activate_url(customer.pk))

    assert response.status_code == 405
    assert "error" in response.json()


def test_activate_requires_authentication(api_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")
    services.customer_deactivate(customer_id=customer.pk)

    assert api_client.patch(activate_url(customer.pk)).status_code == 401
    assert Customer.objects.get(pk=customer.pk).is_customer_active is False
