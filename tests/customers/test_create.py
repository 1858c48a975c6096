"""POST /api/customers: create, validation, conflicts, the error contract."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from domains.customers import services
from domains.customers.models import Customer

from .conftest import (
    CNPJ_ACME,
    CNPJ_ACME_DIGITS,
    CPF_ANA,
    CPF_ANA_DIGITS,
    LIST_URL,
    OUTPUT_FIELDS,
    customer_count,
)


def test_create_with_every_seed_field_returns_201_and_the_normalised_customer(
    auth_client, full_payload
):
    # when
    response = auth_client.post(LIST_URL, full_payload, format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    assert body["message"] == "Cliente criado com sucesso."
    customer = body["customer"]
    assert set(customer) == OUTPUT_FIELDS
    assert customer["ds_customer_name"] == "Ana Maria Souza"
    assert customer["ds_customer_email"] == "ana.souza@example.com"
    assert customer["ds_customer_phone"] == "(11) 98765-4321"
    assert customer["ds_customer_cpf_cnpj"] == CPF_ANA_DIGITS
    assert customer["ds_customer_address"] == "Rua das Flores, 100"
    assert customer["ds_customer_city"] == "São Paulo"
    assert customer["ds_customer_state"] == "SP"
    assert customer["ds_customer_zip_code"] == "01310-100"
    assert customer["ds_customer_country"] == "Brasil"
    assert customer["is_customer_active"] is True
    assert customer["dt_customer_created_at"]
    assert customer["dt_customer_updated_at"]
    stored = Customer.objects.get(pk=customer["cd_customer"])
    assert stored.ds_customer_cpf_cnpj == CPF_ANA_DIGITS
    assert stored.ds_customer_email == "ana.souza@example.com"


def test_create_with_only_a_name_defaults_country_and_nulls_the_rest(auth_client):
    response = auth_client.post(LIST_URL, {"ds_customer_name": "  Bruno  "}, format="json")

    assert response.status_code == 201
    customer = response.json()["customer"]
    assert customer["ds_customer_name"] == "Bruno"
    assert customer["ds_customer_country"] == "Brasil"
    for field in (
        "ds_customer_email",
        "ds_customer_phone",
        "ds_customer_cpf_cnpj",
        "ds_customer_address",
        "ds_customer_city",
        "ds_customer_state",
        "ds_customer_zip_code",
    ):
        assert customer[field] is None


def test_create_turns_empty_optional_strings_into_null(auth_client):
    payload = {
        "ds_customer_name": "Carla",
        "ds_customer_email": "",
        "ds_customer_phone": " ",
        "ds_customer_cpf_cnpj": "",
        "ds_customer_address": "",
        "ds_customer_city": "",
        "ds_customer_state": "",
        "ds_customer_zip_code": "",
        "ds_customer_country": "",
    }

    response = auth_client.post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    customer = response.json()["customer"]
    assert customer["ds_customer_email"] is None
    assert customer["ds_customer_cpf_cnpj"] is None
    assert customer["ds_customer_state"] is None
    assert customer["ds_customer_country"] == "Brasil"


def test_two_customers_without_email_or_document_may_coexist(auth_client):
    first = auth_client.post(LIST_URL, {"ds_customer_name": "Um", "ds_customer_email": ""})
    second = auth_client.post(LIST_URL, {"ds_customer_name": "Dois", "ds_customer_email": ""})

    assert (first.status_code, second.status_code) == (201, 201)


def test_create_accepts_a_punctuated_cnpj_and_stores_its_digits(auth_client):
    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "ACME Ltda", "ds_customer_cpf_cnpj": CNPJ_ACME},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["customer"]["ds_customer_cpf_cnpj"] == CNPJ_ACME_DIGITS


def test_create_ignores_unknown_fields_and_the_read_only_ones(auth_client):
    payload = {
        "ds_customer_name": "Daniel",
        "campo_desconhecido": "x",
        "is_customer_active": False,
        "cd_customer": "00000000-0000-0000-0000-000000000001",
        "dt_customer_created_at": "2000-01-01T00:00:00Z",
    }

    response = auth_client.post(LIST_URL, payload, format="json")

    assert response.status_code == 201
    customer = response.json()["customer"]
    assert customer["is_customer_active"] is True
    assert customer["cd_customer"] != "00000000-0000-0000-0000-000000000001"
    assert not customer["dt_customer_created_at"].startswith("2000")
    assert "campo_desconhecido" not in customer


def test_create_requires_authentication(api_client):
    response = api_client.post(LIST_URL, {"ds_customer_name": "Eva"}, format="json")

    assert response.status_code == 401
    assert "error" in response.json()
    assert customer_count() == 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({}, "ds_customer_name", "O nome do cliente é obrigatório."),
        ({"ds_customer_name": ""}, "ds_customer_name", "O nome do cliente é obrigatório."),
        ({"ds_customer_name": "   "}, "ds_customer_name", "O nome do cliente é obrigatório."),
        ({"ds_customer_name": None}, "ds_customer_name", "O nome do cliente é obrigatório."),
        ({"ds_customer_name": 123}, "ds_customer_name", "Informe um texto."),
        ({"ds_customer_name": ["Ana"]}, "ds_customer_name", "Informe um texto."),
        ({"ds_customer_name": {"a": 1}}, "ds_customer_name", "Informe um texto."),
        ({"ds_customer_name": True}, "ds_customer_name", "Informe um texto."),
        (
            {"ds_customer_name": "x" * 10_000},
            "ds_customer_name",
            "O nome deve ter no máximo 255 caracteres.",
        ),
        (
            {"ds_customer_name": "Ana\x00Souza"},
            "ds_customer_name",
            "Caracteres nulos não são permitidos.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_email": "nao-e-email"},
            "ds_customer_email",
            "Informe um endereço de e-mail válido.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_email": 42},
            "ds_customer_email",
            "Informe um texto.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "529.982.247-26"},
            "ds_customer_cpf_cnpj",
            "CPF inválido: dígitos verificadores não conferem.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "111.111.111-11"},
            "ds_customer_cpf_cnpj",
            "CPF inválido: dígitos verificadores não conferem.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "11.222.333/0001-80"},
            "ds_customer_cpf_cnpj",
            "CNPJ inválido: dígitos verificadores não conferem.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "00000000000000"},
            "ds_customer_cpf_cnpj",
            "CNPJ inválido: dígitos verificadores não conferem.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "1234567890"},
            "ds_customer_cpf_cnpj",
            "CPF deve ter 11 dígitos e CNPJ 14 dígitos.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": "529a982b247c25"},
            "ds_customer_cpf_cnpj",
            "CPF/CNPJ deve conter apenas números e pontuação (. - /).",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_cpf_cnpj": 52998224725},
            "ds_customer_cpf_cnpj",
            "Informe um texto.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_state": "XX"},
            "ds_customer_state",
            "UF inválida. Informe a sigla de um dos 27 estados brasileiros.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_state": "São Paulo"},
            "ds_customer_state",
            "A UF deve ter no máximo 2 caracteres.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_zip_code": "1234-567"},
            "ds_customer_zip_code",
            "CEP inválido. Use o formato 00000-000.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_phone": "1" * 21},
            "ds_customer_phone",
            "O telefone deve ter no máximo 20 caracteres.",
        ),
        (
            {"ds_customer_name": "Ana", "ds_customer_city": "c" * 101},
            "ds_customer_city",
            "A cidade deve ter no máximo 100 caracteres.",
        ),
    ],
)
def test_create_with_invalid_field_answers_400_with_the_field_message(
    auth_client, payload, field, message
):
    response = auth_client.post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"error": {field: [message]}}
    assert customer_count() == 0


def test_create_lists_every_invalid_field_at_once(auth_client):
    payload = {
        "ds_customer_name": "Ana",
        "ds_customer_email": "x@",
        "ds_customer_state": "ZZ",
        "ds_customer_zip_code": "abc",
    }

    response = auth_client.post(LIST_URL, payload, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]) == {
        "ds_customer_email",
        "ds_customer_state",
        "ds_customer_zip_code",
    }
    assert customer_count() == 0


def test_create_with_malformed_json_answers_400(auth_client):
    response = auth_client.post(
        LIST_URL, data='{"ds_customer_name": "Ana",', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}
    assert customer_count() == 0


def test_create_with_empty_body_answers_400(auth_client):
    response = auth_client.post(LIST_URL, data="", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": {"ds_customer_name": ["O nome do cliente é obrigatório."]}}
    assert customer_count() == 0


@pytest.mark.parametrize("body", ["[]", '"Ana"', "42", "null"])
def test_create_with_a_body_that_is_not_an_object_answers_400(auth_client, body):
    response = auth_client.post(LIST_URL, data=body, content_type="application/json")

    assert response.status_code == 400
    assert "error" in response.json()
    assert customer_count() == 0


def test_create_with_an_email_taken_in_another_case_answers_409(auth_client, make_customer):
    make_customer(ds_customer_email="ana@example.com")

    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Outra Ana", "ds_customer_email": " ANA@Example.COM "},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {"error": "E-mail já cadastrado para outro cliente."}
    assert customer_count() == 1


def test_create_with_a_document_taken_in_another_format_answers_409(auth_client, make_customer):
    make_customer(ds_customer_cpf_cnpj=CPF_ANA_DIGITS)

    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Outra Ana", "ds_customer_cpf_cnpj": CPF_ANA},
        format="json",
    )

    assert response.status_code == 409
    assert response.json() == {"error": "CPF/CNPJ já cadastrado para outro cliente."}
    assert customer_count() == 1


def test_create_that_loses_a_race_for_the_email_answers_409_and_writes_nothing(
    auth_client, make_customer, monkeypatch
):
    # given: a concurrent request stored the e-mail after our pre-check looked (simulated by
    # hiding the pre-check); the database's unique constraint is the last word.
    make_customer(ds_customer_email="corrida@example.com")
    real_check = services.customer_unique_conflict
    calls = []

    def check_that_misses_the_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_check(**kwargs)

    monkeypatch.setattr(services, "customer_unique_conflict", check_that_misses_the_first_time)

    # when
    response = auth_client.post(
        LIST_URL,
        {"ds_customer_name": "Corrida", "ds_customer_email": "corrida@example.com"},
        format="json",
    )

    # then
    assert response.status_code == 409
    assert response.json() == {"error": "E-mail já cadastrado para outro cliente."}
    assert customer_count() == 1


def test_the_database_refuses_a_duplicate_email_in_another_case(make_customer):
    make_customer(ds_customer_email="dup@example.com")

    with pytest.raises(IntegrityError):
        Customer.objects.create(ds_customer_name="Dup", ds_customer_email="DUP@example.com")
