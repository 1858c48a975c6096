"""Customers test fixtures: valid documents, a full seed payload, a customer factory."""

from __future__ import annotations

import pytest

from domains.customers import services
from domains.customers.models import Customer

# Valid documents (check digits verified), with and without punctuation.
CPF_ANA = "529.982.247-25"
CPF_ANA_DIGITS = "52998224725"
CPF_BRUNO = "111.444.777-35"
CPF_BRUNO_DIGITS = "11144477735"
CNPJ_ACME = "11.222.333/0001-81"
CNPJ_ACME_DIGITS = "11222333000181"
CNPJ_OTHER_DIGITS = "11444777000161"

OUTPUT_FIELDS = {
    "cd_customer",
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_phone",
    "ds_customer_cpf_cnpj",
    "ds_customer_address",
    "ds_customer_city",
    "ds_customer_state",
    "ds_customer_zip_code",
    "ds_customer_country",
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "is_customer_active",
}

LIST_URL = "/api/customers"


def detail_url(customer_id) -> str:
    return f"/api/customers/{customer_id}"


def activate_url(customer_id) -> str:
    return f"/api/customers/{customer_id}/activate"


@pytest.fixture
def full_payload() -> dict:
    return {
        "ds_customer_name": "Ana Maria Souza",
        "ds_customer_email": "Ana.Souza@Example.com",
        "ds_customer_phone": "(11) 98765-4321",
        "ds_customer_cpf_cnpj": CPF_ANA,
        "ds_customer_address": "Rua das Flores, 100",
        "ds_customer_city": "São Paulo",
        "ds_customer_state": "sp",
        "ds_customer_zip_code": "01310100",
        "ds_customer_country": "Brasil",
    }


@pytest.fixture
def make_customer():
    """Create a customer through the service (the same rules as the API)."""

    def make(**fields) -> Customer:
        fields.setdefault("ds_customer_name", "Cliente Teste")
        return services.customer_create(data=fields)

    return make


def customer_count() -> int:
    return Customer.objects.count()
