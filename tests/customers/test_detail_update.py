"""GET/PUT/PATCH /api/customers/<id>."""

from __future__ import annotations

import uuid

import pytest

from domains.customers import services
from domains.customers.models import Customer

from .conftest import CPF_ANA, CPF_ANA_DIGITS, CPF_BRUNO_DIGITS, OUTPUT_FIELDS, detail_url


def test_detail_returns_the_customer(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana", ds_customer_cpf_cnpj=CPF_ANA)

    response = auth_client.get(detail_url(customer.pk))

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["customer"]
    assert set(body["customer"]) == OUTPUT_FIELDS
    assert body["customer"]["cd_customer"] == str(customer.pk)
    assert body["customer"]["ds_customer_cpf_cnpj"] == CPF_ANA_DIGITS


def test_detail_also_shows_an_inactive_customer(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")
    services.customer_deactivate(customer_id=customer.pk)

    response = auth_client.get(detail_url(customer.pk))

    assert response.status_code == 200
    assert response.json()["customer"]["is_customer_active"] is False


def test_detail_of_an_unknown_id_answers_404(auth_client):
    response = auth_client.get(detail_url(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_non_uuid_id_answers_400_for_every_method(auth_client, method):
    response = getattr(auth_client, method)(detail_url("123"), {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'customer_id' não é um UUID válido."}


def test_detail_requires_authentication(api_client, make_customer):
    customer = make_customer()

    assert api_client.get(detail_url(customer.pk)).status_code == 401


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_changes_only_the_fields_sent(auth_client, make_customer, method):
    customer = make_customer(
        ds_customer_name="Ana", ds_customer_email="ana@example.com", ds_customer_city="Santos"
    )
    before = Customer.objects.get(pk=customer.pk)

    response = getattr(auth_client, method)(
        detail_url(customer.pk),
        {"ds_customer_city": "Campinas", "ds_customer_state": "sp"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Cliente atualizado com sucesso."
    assert body["customer"]["ds_customer_city"] == "Campinas"
    assert body["customer"]["ds_customer_state"] == "SP"
    assert body["customer"]["ds_customer_name"] == "Ana"
    assert body["customer"]["ds_customer_email"] == "ana@example.com"
    after = Customer.objects.get(pk=customer.pk)
    assert after.dt_customer_updated_at > before.dt_customer_updated_at
    assert after.dt_customer_created_at == before.dt_customer_created_at


def test_update_with_an_empty_string_clears_an_optional_field(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana", ds_customer_phone="1234")

    response = auth_client.put(detail_url(customer.pk), {"ds_customer_phone": ""}, format="json")

    assert response.status_code == 200
    assert response.json()["customer"]["ds_customer_phone"] is None


def test_update_ignores_is_customer_active_and_unknown_fields(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.put(
        detail_url(customer.pk),
        {"is_customer_active": False, "xpto": 1, "cd_customer": str(uuid.uuid4())},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["customer"]["is_customer_active"] is True
    assert response.json()["customer"]["cd_customer"] == str(customer.pk)
    assert Customer.objects.get(pk=customer.pk).is_customer_active is True


def test_update_with_an_empty_body_changes_nothing(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.put(detail_url(customer.pk), data="", content_type="application/json")

    assert response.status_code == 200
    assert response.json()["customer"]["ds_customer_name"] == "Ana"


def test_update_of_an_unknown_id_answers_404(auth_client):
    response = auth_client.put(detail_url(uuid.uuid4()), {"ds_customer_name": "X"}, format="json")

    assert response.status_code == 404
    assert response.json() == {"error": "Cliente não encontrado."}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"ds_customer_name": ""}, "ds_customer_name"),
        ({"ds_customer_name": None}, "ds_customer_name"),
        ({"ds_customer_name": 7}, "ds_customer_name"),
        ({"ds_customer_name": "n" * 10_000}, "ds_customer_name"),
        ({"ds_customer_name": "a\x00b"}, "ds_customer_name"),
        ({"ds_customer_email": "ana"}, "ds_customer_email"),
        ({"ds_customer_cpf_cnpj": "52998224724"}, "ds_customer_cpf_cnpj"),
        ({"ds_customer_state": "AA"}, "ds_customer_state"),
        ({"ds_customer_zip_code": "123"}, "ds_customer_zip_code"),
    ],
)
def test_invalid_update_answers_400_and_changes_nothing(auth_client, make_customer, payload, field):
    customer = make_customer(ds_customer_name="Ana", ds_customer_email="ana@example.com")
    before = Customer.objects.values().get(pk=customer.pk)

    response = auth_client.put(detail_url(customer.pk), payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]) == [field]
    assert Customer.objects.values().get(pk=customer.pk) == before


def test_update_with_malformed_json_answers_400(auth_client, make_customer):
    customer = make_customer(ds_customer_name="Ana")

    response = auth_client.put(
        detail_url(customer.pk), data="{nope", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}


def test_update_to_another_customers_email_answers_409(auth_client, make_customer):
    make_customer(ds_customer_name="Ana", ds_customer_email="ana@example.com")
    bruno = make_customer(ds_customer_name="Bruno", ds_customer_email="bruno@example.com")

    response = auth_client.put(
        detail_url(bruno.pk), {"ds_customer_email": "ANA@example.com"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"error": "E-mail já cadastrado para outro cliente."}
    assert Customer.objects.get(pk=bruno.pk).ds_customer_email == "bruno@example.com"


def test_update_to_another_customers_document_answers_409(auth_client, make_customer):
    make_customer(ds_customer_name="Ana", ds_customer_cpf_cnpj=CPF_ANA_DIGITS)
    bruno = make_customer(ds_customer_name="Bruno", ds_customer_cpf_cnpj=CPF_BRUNO_DIGITS)

    response = auth_client.patch(
        detail_url(bruno.pk), {"ds_customer_cpf_cnpj": CPF_ANA}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"error": "CPF/CNPJ já cadastrado para outro cliente."}
    assert Customer.objects.get(pk=bruno.pk).ds_customer_cpf_cnpj == CPF_BRUNO_DIGITS


def test_update_keeping_its_own_email_and_document_is_no_conflict(auth_client, make_customer):
    customer = make_customer(
        ds_customer_name="Ana", ds_customer_email="ana@example.com", ds_customer_cpf_cnpj=CPF_ANA
    )

    response = auth_client.put(
        detail_url(customer.pk),
        {"ds_customer_email": "Ana@Example.com", "ds_customer_cpf_cnpj": CPF_ANA_DIGITS},
        format="json",
    )

    assert response.status_code == 200
