"""Every products path answers with and without a trailing slash, for every method, and
never with a redirect (a redirected POST would lose its body)."""

from __future__ import annotations

import json

import pytest

from domains.products.models import Product

SLASHES = pytest.mark.parametrize("slash", ["", "/"], ids=["no-slash", "slash"])


@SLASHES
def test_list(auth_client, make_product, slash):
    make_product(name="Caneta")

    response = auth_client.get(f"/api/products{slash}")

    assert response.status_code == 200
    assert response.json()["total"] == 1


@SLASHES
def test_create(auth_client, slash):
    response = auth_client.post(
        f"/api/products{slash}",
        json.dumps({"ds_product_name": "Caneta", "vr_price": "1.00"}),
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Product.objects.get().ds_product_name == "Caneta"


@SLASHES
def test_detail(auth_client, make_product, slash):
    product = make_product(name="Caneta")

    response = auth_client.get(f"/api/products/{product.cd_product}{slash}")

    assert response.status_code == 200
    assert response.json()["product"]["cd_product"] == str(product.cd_product)


@SLASHES
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update(auth_client, make_product, slash, method):
    product = make_product(name="Caneta")

    response = getattr(auth_client, method)(
        f"/api/products/{product.cd_product}{slash}",
        json.dumps({"vr_price": "4.20"}),
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["product"]["vr_price"] == "4.20"


@SLASHES
@pytest.mark.parametrize("query", ["", "?hard_delete=true"])
def test_delete(auth_client, make_product, slash, query):
    product = make_product(name="Caneta")

    response = auth_client.delete(f"/api/products/{product.cd_product}{slash}{query}")

    assert response.status_code == 200
    assert "message" in response.json()


@SLASHES
def test_activate(auth_client, make_product, slash):
    product = make_product(name="Caneta", is_active=False)

    response = auth_client.patch(f"/api/products/{product.cd_product}/activate{slash}")

    assert response.status_code == 200
    assert response.json()["product"]["is_active"] is True


@SLASHES
def test_errors_are_json_not_redirects_either(auth_client, slash):
    response = auth_client.get(f"/api/products/not-a-uuid{slash}")

    assert response.status_code == 400
    assert response.json() == {"error": "O identificador 'product_id' não é um UUID válido."}


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_methods_not_offered_on_the_collection_are_405_json(auth_client, method):
    response = getattr(auth_client, method)("/api/products/")

    assert response.status_code == 405
    assert "error" in response.json()
