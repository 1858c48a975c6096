"""GET /api/products: the seed's list row, pagination envelope, filters and ordering."""

from __future__ import annotations

import pytest

from .conftest import PRODUCTS_URL


def names(response) -> list[str]:
    return [product["ds_product_name"] for product in response.json()["products"]]


@pytest.fixture
def catalogue(make_product):
    """Four active products and one inactive, with distinct prices."""
    return {
        "caneta": make_product(name="Caneta Azul", price="2.50", description="Escrita fina"),
        "consultoria": make_product(
            name="consultoria fiscal", price="1500.00", product_type="servico"
        ),
        "borracha": make_product(name="Borracha", price="1.00", description="Apaga CANETA"),
        "suporte": make_product(name="Suporte Técnico", price="300.00", product_type="servico"),
        "antigo": make_product(name="Antigo", price="10.00", is_active=False),
    }


def test_list_returns_the_seed_envelope_of_active_products_by_name(auth_client, catalogue):
    response = auth_client.get(PRODUCTS_URL)

    assert response.status_code == 200
    payload = response.json()
    assert set(payload) == {"products", "total", "pages", "current_page", "per_page", "next_cursor"}
    assert payload["total"] == 4
    assert payload["pages"] == 1
    assert payload["current_page"] == 1
    assert payload["per_page"] == 20
    # case-insensitive by name: "consultoria fiscal" between "Caneta" and "Suporte"
    assert names(response) == ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"]
    first = payload["products"][0]
    assert first["vr_price"] == "1.00"
    assert first["ds_product_description"] == "Apaga CANETA"


def test_list_of_an_empty_catalogue(auth_client):
    response = auth_client.get(PRODUCTS_URL)

    assert response.status_code == 200
    assert response.json() == {
        "products": [],
        "total": 0,
        "pages": 0,
        "current_page": 1,
        "per_page": 20,
        "next_cursor": None,
    }


@pytest.mark.parametrize("value", ["false", "False", "FALSE"])
def test_list_with_active_only_false_includes_inactive_products(auth_client, catalogue, value):
    response = auth_client.get(PRODUCTS_URL, {"active_only": value})

    assert response.status_code == 200
    assert response.json()["total"] == 5
    assert "Antigo" in names(response)


@pytest.mark.parametrize("value", ["true", "True", ""])
def test_list_with_active_only_true_or_empty_is_the_default(auth_client, catalogue, value):
    response = auth_client.get(PRODUCTS_URL, {"active_only": value})

    assert response.status_code == 200
    assert response.json()["total"] == 4


@pytest.mark.parametrize("value", ["yes", "1", "0", "sim", "tru"])
def test_list_refuses_an_active_only_that_is_not_true_or_false(auth_client, catalogue, value):
    response = auth_client.get(PRODUCTS_URL, {"active_only": value})

    assert response.status_code == 400
    assert response.json() == {"error": {"active_only": ["Use 'true' ou 'false'."]}}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("caneta", ["Borracha", "Caneta Azul"]),  # name, and "Apaga CANETA" in a description
        ("FISCAL", ["consultoria fiscal"]),
        ("escrita", ["Caneta Azul"]),
        ("técn", ["Suporte Técnico"]),
        ("nada disso", []),
        ("   ", ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"]),
    ],
)
def test_list_searches_name_and_description_case_insensitively(
    auth_client, catalogue, search, expected
):
    response = auth_client.get(PRODUCTS_URL, {"search": search})

    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["total"] == len(expected)


def test_list_search_respects_active_only(auth_client, catalogue):
    assert names(auth_client.get(PRODUCTS_URL, {"search": "antigo"})) == []
    assert names(auth_client.get(PRODUCTS_URL, {"search": "antigo", "active_only": "false"})) == [
        "Antigo"
    ]


def test_list_refuses_a_nul_byte_in_search(auth_client, catalogue):
    response = auth_client.get(PRODUCTS_URL + "?search=can%00eta")

    assert response.status_code == 400
    assert response.json() == {"error": {"search": ["Caracteres nulos não são permitidos."]}}


@pytest.mark.parametrize(
    ("product_type", "expected"),
    [
        ("servico", ["consultoria fiscal", "Suporte Técnico"]),
        ("produto", ["Borracha", "Caneta Azul"]),
    ],
)
def test_list_filters_by_product_type(auth_client, catalogue, product_type, expected):
    response = auth_client.get(PRODUCTS_URL, {"id_product_type": product_type})

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize("product_type", ["servicos", "Produto", "x"])
def test_list_refuses_an_unknown_product_type(auth_client, catalogue, product_type):
    response = auth_client.get(PRODUCTS_URL, {"id_product_type": product_type})

    assert response.status_code == 400
    assert response.json() == {
        "error": {"id_product_type": ["Tipo inválido. Use 'produto' ou 'servico'."]}
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"min_price": "2.50"}, ["Caneta Azul", "consultoria fiscal", "Suporte Técnico"]),
        ({"max_price": "2.50"}, ["Borracha", "Caneta Azul"]),
        ({"min_price": "2", "max_price": "300"}, ["Caneta Azul", "Suporte Técnico"]),
        ({"min_price": "300", "max_price": "2"}, []),
        ({"min_price": "0"}, ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"]),
        ({"max_price": "-1e400"}, []),
        (
            {"min_price": "-1e400"},
            ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"],
        ),
        (
            {"max_price": "1e20"},
            ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"],
        ),
        ({"min_price": "1e20"}, []),
    ],
)
def test_list_filters_by_price_range(auth_client, catalogue, query, expected):
    response = auth_client.get(PRODUCTS_URL, query)

    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize("parameter", ["min_price", "max_price"])
@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "1,5", "1e400", "10%00"])
def test_list_refuses_a_price_bound_that_is_not_a_number(auth_client, catalogue, parameter, value):
    response = auth_client.get(f"{PRODUCTS_URL}?{parameter}={value}")

    assert response.status_code == 400
    assert list(response.json()["error"]) == [parameter]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("ds_product_name", ["Borracha", "Caneta Azul", "consultoria fiscal", "Suporte Técnico"]),
        ("-ds_product_name", ["Suporte Técnico", "consultoria fiscal", "Caneta Azul", "Borracha"]),
        ("vr_price", ["Borracha", "Caneta Azul", "Suporte Técnico", "consultoria fiscal"]),
        ("-vr_price", ["consultoria fiscal", "Suporte Técnico", "Caneta Azul", "Borracha"]),
        (
            "dt_product_created_at",
            ["Caneta Azul", "consultoria fiscal", "Borracha", "Suporte Técnico"],
        ),
        (
            "-dt_product_created_at",
            ["Suporte Técnico", "Borracha", "consultoria fiscal", "Caneta Azul"],
        ),
    ],
)
def test_list_orders_by_whitelisted_fields(auth_client, catalogue, ordering, expected):
    response = auth_client.get(PRODUCTS_URL, {"ordering": ordering})

    assert response.status_code == 200
    assert names(response) == expected


def test_list_orders_by_several_fields(auth_client, make_product):
    make_product(name="Beta", price="5.00")
    make_product(name="Alfa", price="5.00")
    make_product(name="Gama", price="1.00")

    response = auth_client.get(PRODUCTS_URL, {"ordering": "-vr_price,ds_product_name"})

    assert response.status_code == 200
    assert names(response) == ["Alfa", "Beta", "Gama"]


@pytest.mark.parametrize(
    "ordering", ["password", "cd_product", "vr_price,foo", "--vr_price", "is_active", "name"]
)
def test_list_refuses_an_ordering_outside_the_whitelist(auth_client, catalogue, ordering):
    response = auth_client.get(PRODUCTS_URL, {"ordering": ordering})

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["ordering"]


def test_list_paginates_with_page_and_per_page(auth_client, catalogue):
    response = auth_client.get(PRODUCTS_URL, {"page": 2, "per_page": 3})

    assert response.status_code == 200
    payload = response.json()
    assert names(response) == ["Suporte Técnico"]
    assert payload["total"] == 4
    assert payload["pages"] == 2
    assert payload["current_page"] == 2
    assert payload["per_page"] == 3


def test_list_page_past_the_end_is_an_empty_list(auth_client, catalogue):
    response = auth_client.get(PRODUCTS_URL, {"page": 99})

    assert response.status_code == 200
    assert response.json() == {
        "products": [],
        "total": 4,
        "pages": 1,
        "current_page": 99,
        "per_page": 20,
        "next_cursor": None,
    }


def test_list_caps_per_page_at_100(auth_client, make_product):
    for number in range(101):
        make_product(name=f"Produto {number:03d}")

    response = auth_client.get(PRODUCTS_URL, {"per_page": 1000})

    assert response.status_code == 200
    payload = response.json()
    assert payload["per_page"] == 100
    assert len(payload["products"]) == 100
    assert payload["total"] == 101
    assert payload["pages"] == 2


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("page", "abc"),
        ("page", "0"),
        ("page", "-1"),
        ("per_page", "-1"),
        ("per_page", "0"),
        ("per_page", "x"),
        ("page", "1.5"),
    ],
)
def test_list_refuses_a_page_or_per_page_that_is_not_a_positive_integer(
    auth_client, catalogue, parameter, value
):
    response = auth_client.get(PRODUCTS_URL, {parameter: value})

    assert response.status_code == 400
    assert response.json() == {
        "error": {parameter: ["Deve ser um número inteiro maior ou igual a 1."]}
    }


def test_list_ignores_unknown_query_parameters(auth_client, catalogue):
    response = auth_client.get(PRODUCTS_URL, {"foo": "bar", "name": "x"})

    assert response.status_code == 200
    assert response.json()["total"] == 4


def test_list_requires_a_token(api_client, catalogue):
    response = api_client.get(PRODUCTS_URL)

    assert response.status_code == 401


def test_list_runs_the_same_number_of_queries_for_1_or_50_per_page(
    auth_client, make_product, products_queries
):
    for number in range(60):
        make_product(name=f"Produto {number:02d}", price=f"{number}.00")
    query = {"search": "produto", "min_price": "0", "ordering": "-vr_price"}

    with products_queries() as small:
        small_response = auth_client.get(PRODUCTS_URL, {**query, "per_page": 1})
    with products_queries() as large:
        large_response = auth_client.get(PRODUCTS_URL, {**query, "per_page": 50})

    assert len(small_response.json()["products"]) == 1
    assert len(large_response.json()["products"]) == 50
    assert len(small) == len(large) == 1  # a first page carries its total: COUNT(*) OVER ()
    assert small_response.json()["total"] == large_response.json()["total"] == 60
