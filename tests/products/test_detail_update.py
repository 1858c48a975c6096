"""GET/PUT/PATCH /api/products/<id>: the seed's detail and (partial) update rows."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from domains.products import services
from domains.products.models import Product

from .conftest import product_url

UPDATED = "Produto atualizado com sucesso."
NOT_FOUND = {"error": "Produto não encontrado."}
NOT_A_UUID = {"error": "O identificador 'product_id' não é um UUID válido."}


def send(client, method: str, url: str, body) -> object:
    raw = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, raw, content_type="application/json")


def snapshot(product: Product) -> dict:
    product.refresh_from_db()
    return {field.attname: getattr(product, field.attname) for field in Product._meta.fields}


def test_detail_returns_the_product(auth_client, make_product):
    product = make_product(name="Caneta", price="2.50", description="Azul")

    response = auth_client.get(product_url(product.cd_product))

    assert response.status_code == 200
    assert response.json() == {
        "product": {
            "cd_product": str(product.cd_product),
            "ds_product_name": "Caneta",
            "ds_product_description": "Azul",
            "vr_price": "2.50",
            "id_product_type": "produto",
            "is_active": True,
            "dt_product_created_at": response.json()["product"]["dt_product_created_at"],
            "dt_product_updated_at": response.json()["product"]["dt_product_updated_at"],
        }
    }


def test_detail_shows_an_inactive_product_too(auth_client, make_product):
    product = make_product(name="Caneta", is_active=False)

    response = auth_client.get(product_url(product.cd_product))

    assert response.status_code == 200
    assert response.json()["product"]["is_active"] is False


def test_detail_of_an_unknown_id_is_404(auth_client):
    response = auth_client.get(product_url(uuid.uuid4()))

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize("product_id", ["123", "not-a-uuid", "0" * 33, "%00"])
def test_detail_of_an_id_that_is_not_a_uuid_is_400(auth_client, product_id):
    response = auth_client.get(product_url(product_id))

    assert response.status_code == 400
    assert response.json() == NOT_A_UUID


def test_detail_requires_a_token(api_client, make_product):
    product = make_product()

    assert api_client.get(product_url(product.cd_product)).status_code == 401


@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_changes_only_the_fields_sent(auth_client, make_product, method):
    # given a product
    product = make_product(name="Caneta", price="2.50", description="Azul")
    before = snapshot(product)

    # when only its price is sent
    response = send(auth_client, method, product_url(product.cd_product), {"vr_price": "3.75"})

    # then only the price (and the update time) changed
    assert response.status_code == 200
    payload = response.json()
    assert payload["message"] == UPDATED
    assert payload["product"]["vr_price"] == "3.75"
    assert payload["product"]["ds_product_name"] == "Caneta"
    assert payload["product"]["ds_product_description"] == "Azul"
    after = snapshot(product)
    assert after["vr_price"] == Decimal("3.75")
    assert after["dt_product_updated_at"] > before["dt_product_updated_at"]
    unchanged = set(before) - {"vr_price", "dt_product_updated_at"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}


def test_update_can_change_every_field(auth_client, make_product):
    product = make_product(name="Caneta", price="2.50", description="Azul")

    response = send(
        auth_client,
        "put",
        product_url(product.cd_product),
        {
            "ds_product_name": " Manutenção ",
            "ds_product_description": "",
            "vr_price": 99.9,
            "id_product_type": "servico",
            "is_active": False,
        },
    )

    assert response.status_code == 200
    stored = Product.objects.get(cd_product=product.cd_product)
    assert stored.ds_product_name == "Manutenção"
    assert stored.ds_product_description is None
    assert stored.vr_price == Decimal("99.90")
    assert stored.id_product_type == "servico"
    assert stored.is_active is False


def test_update_with_an_empty_object_changes_nothing(auth_client, make_product):
    product = make_product(name="Caneta")
    before = snapshot(product)

    response = send(auth_client, "put", product_url(product.cd_product), {})

    assert response.status_code == 200
    assert response.json()["product"]["ds_product_name"] == "Caneta"
    assert snapshot(product) == before


def test_update_may_change_the_case_of_its_own_name(auth_client, make_product):
    product = make_product(name="caneta azul")

    response = send(
        auth_client, "put", product_url(product.cd_product), {"ds_product_name": "Caneta Azul"}
    )

    assert response.status_code == 200
    assert Product.objects.get().ds_product_name == "Caneta Azul"


def test_update_to_another_products_name_is_409_and_changes_nothing(auth_client, make_product):
    make_product(name="Caneta Azul")
    product = make_product(name="Lápis")
    before = snapshot(product)

    response = send(
        auth_client,
        "put",
        product_url(product.cd_product),
        {"ds_product_name": "CANETA AZUL", "vr_price": "1.00"},
    )

    assert response.status_code == 409
    assert response.json() == {"error": "Já existe um produto com este nome."}
    assert snapshot(product) == before


def test_update_answers_409_when_a_concurrent_request_took_the_name(
    auth_client, make_product, monkeypatch
):
    make_product(name="Caneta Azul")
    product = make_product(name="Lápis")
    before = snapshot(product)
    monkeypatch.setattr(services, "product_name_taken", lambda **kwargs: False)

    response = send(
        auth_client, "put", product_url(product.cd_product), {"ds_product_name": "caneta azul"}
    )

    assert response.status_code == 409
    assert response.json() == {"error": "Já existe um produto com este nome."}
    assert snapshot(product) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ds_product_name": "ab"}, "ds_product_name"),
        ({"ds_product_name": "x" * 10_000}, "ds_product_name"),
        ({"ds_product_name": "a\x00bc"}, "ds_product_name"),
        ({"ds_product_name": None}, "ds_product_name"),
        ({"ds_product_name": 12345}, "ds_product_name"),
        ({"vr_price": "-0.01"}, "vr_price"),
        ({"vr_price": "1.001"}, "vr_price"),
        ({"vr_price": None}, "vr_price"),
        ({"vr_price": "1e400"}, "vr_price"),
        ({"vr_price": True}, "vr_price"),
        ({"id_product_type": "outro"}, "id_product_type"),
        ({"is_active": None}, "is_active"),
        ({"is_active": "talvez"}, "is_active"),
    ],
)
def test_update_refuses_invalid_values_and_changes_nothing(auth_client, make_product, body, field):
    product = make_product(name="Caneta")
    before = snapshot(product)

    response = send(
        auth_client, "put", product_url(product.cd_product), {"vr_price": "5.00", **body}
    )

    assert response.status_code == 400
    assert list(response.json()["error"]) == [field]
    assert snapshot(product) == before


@pytest.mark.parametrize("raw", ["{", "[1, 2]", "nao e json"])
def test_update_refuses_a_body_that_is_not_a_json_object(auth_client, make_product, raw):
    product = make_product(name="Caneta")
    before = snapshot(product)

    response = send(auth_client, "put", product_url(product.cd_product), raw)

    assert response.status_code == 400
    assert snapshot(product) == before


def test_update_ignores_unknown_fields(auth_client, make_product):
    product = make_product(name="Caneta")

    response = send(
        auth_client,
        "put",
        product_url(product.cd_product),
        {"cd_product": str(uuid.uuid4()), "qualquer": 1, "vr_price": "1.10"},
    )

    assert response.status_code == 200
    assert response.json()["product"]["cd_product"] == str(product.cd_product)
    assert Product.objects.get().vr_price == Decimal("1.10")


def test_update_of_an_unknown_id_is_404(auth_client):
    response = send(auth_client, "put", product_url(uuid.uuid4()), {"vr_price": "1.00"})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_update_of_an_id_that_is_not_a_uuid_is_400(auth_client):
    response = send(auth_client, "patch", product_url("abc"), {"vr_price": "1.00"})

    assert response.status_code == 400
    assert response.json() == NOT_A_UUID


def test_update_requires_a_token(api_client, make_product):
    product = make_product(name="Caneta")
    before = snapshot(product)

    response = send(api_client, "put", product_url(product.cd_product), {"vr_price": "9.00"})

    assert response.status_code == 401
    assert snapshot(product) == before
