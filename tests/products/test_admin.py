"""The products admin: staff create, correct, find, activate/deactivate and delete products,
with the same rules as the API (the form validates through ``services.product_clean``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from crm import hooks
from domains.products.interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from domains.products.models import Product

CHANGELIST = "/admin/products/product/"
ADD = "/admin/products/product/add/"


def change_url(product) -> str:
    return f"/admin/products/product/{product.cd_product}/change/"


def delete_url(product) -> str:
    return f"/admin/products/product/{product.cd_product}/delete/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def form_data(**overrides) -> dict:
    data = {
        "ds_product_name": "Caneta Azul",
        "ds_product_description": "",
        "vr_price": "10,50",
        "id_product_type": "produto",
        "is_active": "on",
        "_save": "Salvar",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_errors(response) -> dict:
    return {
        field: list(errors) for field, errors in response.context["adminform"].form.errors.items()
    }


def test_staff_adds_a_product_through_the_admin_form(staff_client):
    # when staff submits the add form (pt-BR decimal comma, padded name, empty description)
    response = staff_client.post(ADD, form_data(ds_product_name="  Caneta Azul  "))

    # then the product exists, normalised exactly as the API would
    assert response.status_code == 302
    assert response.headers["Location"] == CHANGELIST
    product = Product.objects.get()
    assert product.ds_product_name == "Caneta Azul"
    assert product.vr_price == Decimal("10.50")
    assert product.ds_product_description is None
    assert product.id_product_type == "produto"
    assert product.is_active is True


def test_the_add_form_also_accepts_a_decimal_point(staff_client):
    response = staff_client.post(ADD, form_data(vr_price="1500.25", id_product_type="servico"))

    assert response.status_code == 302
    assert Product.objects.get().vr_price == Decimal("1500.25")


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"ds_product_name": "ab"},
            {"ds_product_name": ["O nome deve ter pelo menos 3 caracteres."]},
        ),
        (
            {"ds_product_name": "x" * 256},
            {"ds_product_name": ["O nome deve ter no máximo 255 caracteres."]},
        ),
        ({"vr_price": "-1"}, {"vr_price": ["O preço não pode ser negativo."]}),
        ({"vr_price": "10,555"}, {"vr_price": ["O preço deve ter no máximo 2 casas decimais."]}),
        (
            {"vr_price": "10000000000"},
            {"vr_price": ["O preço não pode ser maior que 9.999.999.999,99."]},
        ),
        ({"ds_product_name": ""}, {"ds_product_name": ["Este campo é obrigatório."]}),
    ],
)
def test_the_admin_form_applies_the_api_rules(staff_client, overrides, errors):
    response = staff_client.post(ADD, form_data(**overrides))

    assert response.status_code == 200
    assert form_errors(response) == errors
    assert Product.objects.count() == 0


def test_the_admin_form_refuses_a_name_taken_in_another_case(staff_client, make_product):
    make_product(name="Caneta Azul")

    response = staff_client.post(ADD, form_data(ds_product_name=" CANETA AZUL "))

    assert response.status_code == 200
    assert form_errors(response) == {"ds_product_name": ["Já existe um produto com este nome."]}
    assert Product.objects.count() == 1


def test_staff_corrects_a_product(staff_client, make_product):
    product = make_product(name="Caneta Azul", price="10.50")

    page = staff_client.get(change_url(product))
    response = staff_client.post(
        change_url(product),
        form_data(ds_product_name="Caneta azul", vr_price="12,30", ds_product_description="Fina"),
    )

    assert page.status_code == 200
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.ds_product_name == "Caneta azul"
    assert product.vr_price == Decimal("12.30")
    assert product.ds_product_description == "Fina"


def test_the_change_form_refuses_another_products_name(staff_client, make_product):
    make_product(name="Lápis")
    product = make_product(name="Caneta Azul")

    response = staff_client.post(change_url(product), form_data(ds_product_name="lápis"))

    assert response.status_code == 200
    assert form_errors(response) == {"ds_product_name": ["Já existe um produto com este nome."]}
    product.refresh_from_db()
    assert product.ds_product_name == "Caneta Azul"


def test_actions_deactivate_and_activate_the_selected_products(staff_client, make_product):
    caneta = make_product(name="Caneta Azul")
    lapis = make_product(name="Lápis")
    borracha = make_product(name="Borracha")
    selected = [str(caneta.cd_product), str(lapis.cd_product)]

    response = staff_client.post(
        CHANGELIST, {"action": "deactivate_selected", "_selected_action": selected}
    )

    assert response.status_code == 302
    assert dict(Product.objects.values_list("ds_product_name", "is_active")) == {
        "Caneta Azul": False,
        "Lápis": False,
        "Borracha": True,
    }
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "2 produtos desativados."
    ]

    response = staff_client.post(
        CHANGELIST,
        {"action": "activate_selected", "_selected_action": [str(lapis.cd_product)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 produto ativado." in response.content.decode()
    assert dict(Product.objects.values_list("ds_product_name", "is_active")) == {
        "Caneta Azul": False,
        "Lápis": True,
        "Borracha": True,
    }
    assert borracha.is_active is True


def test_the_action_names_are_in_portuguese(staff_client, make_product):
    make_product(name="Caneta Azul")

    response = staff_client.get(CHANGELIST)

    content = response.content.decode()
    assert "Ativar produtos selecionados" in content
    assert "Desativar produtos selecionados" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("caneta", ["Caneta Azul"]),
        ("ESCRITA", ["Caneta Azul", "Lápis"]),  # in the descriptions
        ("consult", ["Consultoria"]),
        ("nada", []),
    ],
)
def test_staff_finds_products_by_name_or_description(staff_client, make_product, query, expected):
    make_product(name="Caneta Azul", description="Para escrita")
    make_product(name="Lápis", description="Escrita a grafite")
    make_product(name="Consultoria", product_type="servico")

    response = staff_client.get(CHANGELIST, {"q": query})

    assert response.status_code == 200
    found = [product.ds_product_name for product in response.context["cl"].result_list]
    assert sorted(found) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"is_active__exact": "0"},
        {"id_product_type__exact": "servico"},
        {"dt_product_created_at__year": str(timezone.localdate().year)},
        {"o": "3"},
    ],
)
def test_the_changelist_filters_work(staff_client, make_product, query):
    make_product(name="Consultoria", product_type="servico", is_active=False)

    response = staff_client.get(CHANGELIST, query)

    assert response.status_code == 200
    assert [product.ds_product_name for product in response.context["cl"].result_list] == [
        "Consultoria"
    ]


def test_the_changelist_shows_the_columns(staff_client, make_product):
    make_product(name="Consultoria", price="1500.00", product_type="servico")

    response = staff_client.get(CHANGELIST)

    content = response.content.decode()
    assert "Consultoria" in content
    assert "R$ 1.500,00" in content  # formatted as money (issue #11)
    assert "Serviço" in content


def test_staff_deletes_a_product_and_the_event_goes_out(
    staff_client, make_product, django_capture_on_commit_callbacks
):
    product = make_product(name="Caneta Azul")
    received: list[hooks.Event] = []
    hooks.registry.subscribe(HARD_DELETED_EVENT, received.append)
    try:
        with django_capture_on_commit_callbacks(using="products", execute=True):
            response = staff_client.post(delete_url(product), {"post": "yes"})
    finally:
        hooks.registry.handlers[HARD_DELETED_EVENT].remove(received.append)

    assert response.status_code == 302
    assert Product.objects.count() == 0
    assert received == [hooks.Event(topic=HARD_DELETED_EVENT, ids=frozenset({product.cd_product}))]


def test_a_guard_stops_the_admin_delete_and_says_why(staff_client, make_product):
    product = make_product(name="Caneta Azul")
    reason = "O produto possui lançamentos no razão e não pode ser removido."

    def guard(ids: frozenset[uuid.UUID]) -> str | None:
        return reason if product.cd_product in ids else None

    hooks.registry.register_guard(HARD_DELETE_GUARD, guard)
    try:
        page = staff_client.get(delete_url(product))
        response = staff_client.post(delete_url(product), {"post": "yes"})
    finally:
        hooks.registry.guards[HARD_DELETE_GUARD].remove(guard)

    assert page.status_code == 200
    assert reason in page.content.decode()
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert Product.objects.count() == 1


def test_the_bulk_delete_action_asks_the_guards_too(staff_client, make_product):
    kept = make_product(name="Caneta Azul")
    make_product(name="Lápis")

    def guard(ids: frozenset[uuid.UUID]) -> str | None:
        return "Referenciado." if kept.cd_product in ids else None

    hooks.registry.register_guard(HARD_DELETE_GUARD, guard)
    try:
        response = staff_client.post(
            CHANGELIST,
            {
                "action": "delete_selected",
                "_selected_action": [str(product.pk) for product in Product.objects.all()],
                "post": "yes",
            },
        )
    finally:
        hooks.registry.guards[HARD_DELETE_GUARD].remove(guard)

    assert "Referenciado." in response.content.decode()
    assert Product.objects.count() == 2


def test_non_staff_users_cannot_open_the_products_admin(client, user):
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")
