"""/api/products: the seed's CRUD and list, our filters, and the errors."""

from __future__ import annotations

import uuid

import httpx

from .client import expect, expect_error, tag

PRODUCT_FIELDS = {
    "cd_product",
    "ds_product_name",
    "ds_product_description",
    "vr_price",
    "id_product_type",
    "is_active",
}


def test_a_product_lives_through_the_seed_lifecycle(api: httpx.Client):
    name = f"Consultoria fiscal {tag()}"

    created = expect(
        api.post(
            "/api/products",
            json={
                "ds_product_name": name,
                "ds_product_description": "Hora técnica",
                "vr_price": "150.00",
                "id_product_type": "servico",
            },
        ),
        201,
    )
    assert set(created) == {"message", "product"}
    product = created["product"]
    assert set(product) >= PRODUCT_FIELDS
    product_id = product["cd_product"]
    assert (product["vr_price"], product["id_product_type"], product["is_active"]) == (
        "150.00",
        "servico",
        True,
    )
    assert expect(api.get(f"/api/products/{product_id}/"), 200) == {"product": product}

    updated = expect(api.put(f"/api/products/{product_id}", json={"vr_price": 180}), 200)
    assert updated["product"]["vr_price"] == "180.00"
    assert updated["product"]["ds_product_name"] == name

    expect(api.delete(f"/api/products/{product_id}"), 200)
    assert expect(api.get(f"/api/products/{product_id}"), 200)["product"]["is_active"] is False
    assert expect(api.get("/api/products", params={"search": name}), 200)["total"] == 0
    assert (
        expect(api.get("/api/products", params={"search": name, "active_only": "false"}), 200)[
            "total"
        ]
        == 1
    )
    assert expect(api.patch(f"/api/products/{product_id}/activate"), 200)["product"]["is_active"]

    assert set(expect(api.delete(f"/api/products/{product_id}?hard_delete=true"), 200)) == {
        "message"
    }
    expect_error(api.get(f"/api/products/{product_id}"), 404)


def test_the_list_pages_filters_and_sorts(api: httpx.Client, make_product):
    marker = tag()
    make_product(ds_product_name=f"Caneta {marker}", vr_price="2.50", id_product_type="produto")
    make_product(
        ds_product_name=f"Auditoria {marker}", vr_price="900.00", id_product_type="servico"
    )
    make_product(ds_product_name=f"Bloco {marker}", vr_price="12.00", id_product_type="produto")

    first = expect(api.get("/api/products", params={"search": marker, "per_page": 2}), 200)
    assert {"products", "total", "pages", "current_page", "per_page"} <= set(first)
    assert (first["total"], first["pages"], len(first["products"])) == (3, 2, 2)

    def names(**params) -> list[str]:
        body = expect(api.get("/api/products", params={"search": marker, **params}), 200)
        return [item["ds_product_name"] for item in body["products"]]

    assert names(ordering="ds_product_name") == [
        f"Auditoria {marker}",
        f"Bloco {marker}",
        f"Caneta {marker}",
    ]
    assert names(id_product_type="produto", ordering="-vr_price") == [
        f"Bloco {marker}",
        f"Caneta {marker}",
    ]
    assert names(min_price="10", max_price="100") == [f"Bloco {marker}"]


def test_invalid_products_are_400_and_a_duplicate_name_is_409(api: httpx.Client, make_product):
    existing = make_product()

    for field, body in (
        ("ds_product_name", {"ds_product_name": "ab", "vr_price": "1.00"}),
        ("vr_price", {"ds_product_name": f"Preco {tag()}", "vr_price": "-1"}),
        ("vr_price", {"ds_product_name": f"Preco {tag()}", "vr_price": "1.005"}),
        ("id_product_type", {"ds_product_name": f"Tipo {tag()}", "id_product_type": "outro"}),
    ):
        assert field in expect_error(api.post("/api/products", json=body), 400)
    duplicate = api.post(
        "/api/products",
        json={"ds_product_name": existing["ds_product_name"].upper(), "vr_price": "1.00"},
    )
    assert isinstance(expect_error(duplicate, 409), str)
    expect_error(api.get(f"/api/products/{uuid.uuid4()}"), 404)
    expect_error(api.get("/api/products/123"), 400)
