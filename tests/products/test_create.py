"""POST /api/products: the seed's create row, validation and the error contract."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db.models import Sum

from domains.products import selectors, services
from domains.products.models import Product

from .conftest import PRODUCTS_URL

CREATED = "Produto criado com sucesso."


def post_json(client, body, url=PRODUCTS_URL):
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, raw, content_type="application/json")


def with_raw_price(raw_price: str) -> str:
    """A body whose vr_price is written verbatim (JSON literals a dict cannot express)."""
    return '{"ds_product_name": "Caneta", "vr_price": ' + raw_price + "}"


def test_create_returns_201_with_the_seed_envelope(auth_client):
    # given a complete body
    body = {
        "ds_product_name": "  Consultoria Fiscal  ",
        "ds_product_description": " Análise mensal ",
        "vr_price": "1500.50",
        "id_product_type": "servico",
    }

    # when it is posted
    response = post_json(auth_client, body)

    # then the product is created, trimmed, with the seed's field names
    assert response.status_code == 201
    payload = response.json()
    assert payload["message"] == CREATED
    product = payload["product"]
    assert set(product) == {
        "cd_product",
        "ds_product_name",
        "ds_product_description",
        "vr_price",
        "id_product_type",
        "is_active",
        "dt_product_created_at",
        "dt_product_updated_at",
    }
    assert product["ds_product_name"] == "Consultoria Fiscal"
    assert product["ds_product_description"] == "Análise mensal"
    assert product["vr_price"] == "1500.50"
    assert product["id_product_type"] == "servico"
    assert product["is_active"] is True
    stored = Product.objects.get(cd_product=product["cd_product"])
    assert stored.ds_product_name == "Consultoria Fiscal"
    assert stored.vr_price == Decimal("1500.50")


def test_create_defaults_type_active_and_null_description(auth_client):
    response = post_json(auth_client, {"ds_product_name": "Caneta", "vr_price": 2})

    assert response.status_code == 201
    product = response.json()["product"]
    assert product["id_product_type"] == "produto"
    assert product["is_active"] is True
    assert product["ds_product_description"] is None
    assert product["vr_price"] == "2.00"


@pytest.mark.parametrize("description", ["", "   "])
def test_create_stores_an_empty_description_as_null(auth_client, description):
    response = post_json(
        auth_client,
        {"ds_product_name": "Caneta", "vr_price": "2", "ds_product_description": description},
    )

    assert response.status_code == 201
    assert response.json()["product"]["ds_product_description"] is None
    assert Product.objects.get().ds_product_description is None


def test_create_may_start_inactive(auth_client):
    response = post_json(
        auth_client, {"ds_product_name": "Caneta", "vr_price": 1, "is_active": False}
    )

    assert response.status_code == 201
    assert response.json()["product"]["is_active"] is False
    assert Product.objects.get().is_active is False


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("10.5", "10.50"),
        ("10.50", "10.50"),
        ("10.500", "10.50"),  # the same value, written with a trailing zero
        (10.5, "10.50"),
        (0, "0.00"),
        ("0", "0.00"),
        ("-0", "0.00"),
        (7, "7.00"),
        ("9999999999.99", "9999999999.99"),
        (Decimal("9999999999.99"), "9999999999.99"),
    ],
)
def test_create_accepts_a_price_as_json_number_or_string(auth_client, price, expected):
    raw = with_raw_price(str(price) if isinstance(price, Decimal) else json.dumps(price))

    response = post_json(auth_client, raw)

    assert response.status_code == 201, response.json()
    assert response.json()["product"]["vr_price"] == expected
    assert Product.objects.get().vr_price == Decimal(expected)


def test_prices_stay_exact_decimals_never_floats(auth_client):
    # given 0.1 and 0.2 as JSON numbers (as floats they would sum to 0.30000000000000004)
    assert (
        post_json(auth_client, '{"ds_product_name": "Item um", "vr_price": 0.1}').status_code == 201
    )
    assert (
        post_json(auth_client, '{"ds_product_name": "Item dois", "vr_price": "0.2"}').status_code
        == 201
    )

    # then the stored values are exact decimals
    assert Product.objects.aggregate(total=Sum("vr_price"))["total"] == Decimal("0.30")
    assert sorted(Product.objects.values_list("vr_price", flat=True)) == [
        Decimal("0.10"),
        Decimal("0.20"),
    ]


@pytest.mark.parametrize(
    ("raw_price", "message"),
    [
        ("-1", "O preço não pode ser negativo."),
        ('"-0.01"', "O preço não pode ser negativo."),
        ('"10.555"', "O preço deve ter no máximo 2 casas decimais."),
        ("10.555", "O preço deve ter no máximo 2 casas decimais."),
        # 0.1 plus a tail a float would silently drop: seen exactly, it has too many places
        ("0.1000000000000000055511151231257827", "O preço deve ter no máximo 2 casas decimais."),
        ("10000000000", "O preço não pode ser maior que 9.999.999.999,99."),
        ('"10000000000.00"', "O preço não pode ser maior que 9.999.999.999,99."),
        ("1e400", "O preço não pode ser maior que 9.999.999.999,99."),
        ('"1e400"', "O preço não pode ser maior que 9.999.999.999,99."),
        ('"1e-400"', "O preço deve ter no máximo 2 casas decimais."),
        ('"abc"', "Um número válido é necessário."),
        ('"NaN"', "Um número válido é necessário."),
        ('"Infinity"', "Um número válido é necessário."),
        ('"-Infinity"', "Um número válido é necessário."),
        ("true", "Um número válido é necessário."),
        ("false", "Um número válido é necessário."),
        ('""', "Um número válido é necessário."),
        ("null", "Este campo não pode ser nulo."),
        ("[]", "Um número válido é necessário."),
        ("{}", "Um número válido é necessário."),
    ],
)
def test_create_refuses_an_invalid_price(auth_client, raw_price, message):
    response = post_json(auth_client, with_raw_price(raw_price))

    assert response.status_code == 400
    assert response.json() == {"error": {"vr_price": [message]}}
    assert Product.objects.count() == 0


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_create_refuses_non_standard_json_number_literals(auth_client, literal):
    response = post_json(auth_client, with_raw_price(literal))

    assert response.status_code == 400
    assert response.json() == {"error": "JSON malformado no corpo da requisição."}
    assert Product.objects.count() == 0


@pytest.mark.parametrize("name", ["abc", "a" * 255, "Çaí"])
def test_create_accepts_names_from_3_to_255_characters(auth_client, name):
    response = post_json(auth_client, {"ds_product_name": name, "vr_price": "1"})

    assert response.status_code == 201
    assert response.json()["product"]["ds_product_name"] == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ab", "O nome deve ter pelo menos 3 caracteres."),
        ("   ab   ", "O nome deve ter pelo menos 3 caracteres."),
        ("", "O nome deve ter pelo menos 3 caracteres."),
        ("a" * 256, "O nome deve ter no máximo 255 caracteres."),
        ("a" * 10_000, "O nome deve ter no máximo 255 caracteres."),
        ("Cafe\x00teira", "Caracteres nulos não são permitidos."),
        (123, "Informe um texto."),
        (["Caneta"], "Informe um texto."),
        ({"x": 1}, "Informe um texto."),
        (True, "Informe um texto."),
        (None, "Este campo não pode ser nulo."),
    ],
)
def test_create_refuses_an_invalid_name(auth_client, name, message):
    response = post_json(auth_client, {"ds_product_name": name, "vr_price": "1"})

    assert response.status_code == 400
    assert response.json() == {"error": {"ds_product_name": [message]}}
    assert Product.objects.count() == 0


@pytest.mark.parametrize("product_type", ["", "Produto", "software", 1, None, ["produto"]])
def test_create_refuses_an_unknown_product_type(auth_client, product_type):
    response = post_json(
        auth_client, {"ds_product_name": "Caneta", "vr_price": "1", "id_product_type": product_type}
    )

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["id_product_type"]
    assert Product.objects.count() == 0


def test_create_refuses_a_description_with_a_nul_byte(auth_client):
    response = post_json(
        auth_client,
        {"ds_product_name": "Caneta", "vr_price": "1", "ds_product_description": "a\x00b"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {"ds_product_description": ["Caracteres nulos não são permitidos."]}
    }
    assert Product.objects.count() == 0


def test_create_requires_name_and_price(auth_client):
    response = post_json(auth_client, {})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "ds_product_name": ["Este campo é obrigatório."],
            "vr_price": ["Este campo é obrigatório."],
        }
    }
    assert Product.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"ds_product_name": "Caneta", ', {"error": "JSON malformado no corpo da requisição."}),
        ("not json", {"error": "JSON malformado no corpo da requisição."}),
        (
            "[]",
            {
                "error": {
                    "non_field_errors": ["Dado inválido. Esperava um dicionário, mas recebeu list."]
                }
            },
        ),
        (
            '"Caneta"',
            {
                "error": {
                    "non_field_errors": ["Dado inválido. Esperava um dicionário, mas recebeu str."]
                }
            },
        ),
    ],
)
def test_create_answers_400_to_a_body_that_is_not_a_json_object(auth_client, raw, expected):
    response = post_json(auth_client, raw)

    assert response.status_code == 400
    assert response.json() == expected
    assert Product.objects.count() == 0


def test_create_answers_400_to_an_empty_body(auth_client):
    response = auth_client.post(PRODUCTS_URL, "", content_type="application/json")

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"ds_product_name", "vr_price"}
    assert Product.objects.count() == 0


def test_create_ignores_unknown_fields(auth_client):
    response = post_json(
        auth_client,
        {
            "ds_product_name": "Caneta",
            "vr_price": "1",
            "cd_product": "00000000-0000-0000-0000-000000000001",
            "dt_product_created_at": "2000-01-01T00:00:00Z",
            "campo_inventado": [1, 2, 3],
        },
    )

    assert response.status_code == 201
    product = response.json()["product"]
    assert product["cd_product"] != "00000000-0000-0000-0000-000000000001"
    assert not product["dt_product_created_at"].startswith("2000")
    assert "campo_inventado" not in product


def test_create_refuses_a_name_taken_in_another_case_with_409(auth_client, make_product):
    # given a product named "Caneta Azul"
    make_product(name="Caneta Azul")

    # when another is posted as " CANETA azul "
    response = post_json(auth_client, {"ds_product_name": " CANETA azul ", "vr_price": "3"})

    # then 409 and still exactly one row
    assert response.status_code == 409
    assert response.json() == {"error": "Já existe um produto com este nome."}
    assert list(Product.objects.values_list("ds_product_name", flat=True)) == ["Caneta Azul"]


def test_create_answers_409_when_a_concurrent_request_took_the_name(
    auth_client, make_product, monkeypatch
):
    # given a row the pre-check does not see, as when two requests interleave between the
    # check and the insert: the database's unique constraint is what refuses the second one
    make_product(name="Caneta Azul")
    monkeypatch.setattr(services, "product_name_taken", lambda **kwargs: False)

    response = post_json(auth_client, {"ds_product_name": "caneta azul", "vr_price": "3"})

    assert response.status_code == 409
    assert response.json() == {"error": "Já existe um produto com este nome."}
    assert Product.objects.count() == 1
    assert selectors.product_name_taken(name="CANETA AZUL") is True


def test_create_accepts_form_encoded_bodies(auth_client):
    response = auth_client.post(PRODUCTS_URL, {"ds_product_name": "Caneta", "vr_price": "2.30"})

    assert response.status_code == 201
    assert response.json()["product"]["vr_price"] == "2.30"


def test_create_requires_a_token(api_client):
    response = post_json(api_client, {"ds_product_name": "Caneta", "vr_price": "1"})

    assert response.status_code == 401
    assert "error" in response.json()
    assert Product.objects.count() == 0
