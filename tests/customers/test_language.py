"""Customers' own words follow the client's language: Portuguese by default, English on request."""

import uuid

import pytest


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [(None, "Cliente não encontrado."), ("en", "Customer not found.")],
)
def test_unknown_customer_message_follows_accept_language(auth_client, accept_language, expected):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}

    response = auth_client.get(f"/api/customers/{uuid.uuid4()}", **headers)

    assert response.status_code == 404
    assert response.json() == {"error": expected}


def test_customer_admin_speaks_english_when_asked(client, staff_user):
    from domains.customers.models import Customer

    Customer.objects.create(ds_customer_name="Padaria Central")  # actions show only with rows
    client.force_login(staff_user)

    english = client.get("/admin/customers/customer/", HTTP_ACCEPT_LANGUAGE="en")
    portuguese = client.get("/admin/customers/customer/")

    assert "Deactivate selected customers" in english.content.decode()
    assert "Desativar clientes selecionados" in portuguese.content.decode()
