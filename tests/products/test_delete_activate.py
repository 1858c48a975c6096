"""DELETE /api/products/<id> (soft by default, ?hard_delete=true) and PATCH .../activate.

A hard delete asks the ``product.hard_delete`` guards first (another domain, e.g. the ledger,
may refuse) and publishes ``product.hard_deleted`` after commit.
"""

from __future__ import annotations

import uuid

import pytest

from crm import hooks
from domains.products.interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from domains.products.models import Product

from .conftest import product_url

NOT_FOUND = {"error": "Produto não encontrado."}
NOT_A_UUID = {"error": "O identificador 'product_id' não é um UUID válido."}


@pytest.fixture
def refusing_guard():
    """A guard on the hard-delete topic that refuses the products it was told about."""
    refused: set[uuid.UUID] = set()
    seen: list[frozenset[uuid.UUID]] = []

    def guard(ids: frozenset[uuid.UUID]) -> str | None:
        seen.append(ids)
        if ids & refused:
            return "O produto possui lançamentos no razão e não pode ser removido."
        return None

    hooks.registry.register_guard(HARD_DELETE_GUARD, guard)
    yield refused, seen
    hooks.registry.guards[HARD_DELETE_GUARD].remove(guard)


@pytest.fixture
def deleted_events():
    received: list[hooks.Event] = []

    def handler(event: hooks.Event) -> None:
        received.append(event)

    hooks.registry.subscribe(HARD_DELETED_EVENT, handler)
    yield received
    hooks.registry.handlers[HARD_DELETED_EVENT].remove(handler)


@pytest.mark.parametrize("query", ["", "?hard_delete=false", "?hard_delete=FALSE", "?hard_delete="])
def test_delete_deactivates_by_default(auth_client, make_product, deleted_events, query):
    product = make_product(name="Caneta")

    response = auth_client.delete(product_url(product.cd_product) + query)

    assert response.status_code == 200
    assert response.json() == {"message": "Produto desativado com sucesso."}
    product.refresh_from_db()
    assert product.is_active is False
    assert deleted_events == []


def test_a_deactivated_product_leaves_the_default_list_but_keeps_its_detail(
    auth_client, make_product
):
    product = make_product(name="Caneta")

    auth_client.delete(product_url(product.cd_product))

    assert auth_client.get("/api/products").json()["total"] == 0
    assert auth_client.get(product_url(product.cd_product)).json()["product"]["is_active"] is False


def test_soft_delete_twice_is_still_200(auth_client, make_product):
    product = make_product(name="Caneta", is_active=False)

    response = auth_client.delete(product_url(product.cd_product))

    assert response.status_code == 200
    assert Product.objects.get().is_active is False


@pytest.mark.parametrize("value", ["true", "True", "TRUE"])
def test_hard_delete_removes_the_product_and_publishes_after_commit(
    auth_client,
    make_product,
    refusing_guard,
    deleted_events,
    django_capture_on_commit_callbacks,
    value,
):
    # given a product no guard objects to
    product = make_product(name="Caneta")
    other = make_product(name="Lápis")
    _, seen = refusing_guard

    # when it is hard deleted
    with django_capture_on_commit_callbacks(using="products", execute=True) as callbacks:
        response = auth_client.delete(f"{product_url(product.cd_product)}?hard_delete={value}")

    # then it is gone, the guard was asked, and the event went out after commit
    assert response.status_code == 200
    assert response.json() == {"message": "Produto removido permanentemente."}
    assert list(Product.objects.values_list("cd_product", flat=True)) == [other.cd_product]
    assert seen == [frozenset({product.cd_product})]
    assert len(callbacks) == 1
    assert deleted_events == [
        hooks.Event(topic=HARD_DELETED_EVENT, ids=frozenset({product.cd_product}))
    ]
    assert auth_client.get(product_url(product.cd_product)).status_code == 404


def test_hard_delete_refused_by_a_guard_is_409_and_removes_nothing(
    auth_client, make_product, refusing_guard, deleted_events, django_capture_on_commit_callbacks
):
    # given a product another domain still references
    product = make_product(name="Caneta")
    refused, _ = refusing_guard
    refused.add(product.cd_product)

    # when it is hard deleted
    with django_capture_on_commit_callbacks(using="products", execute=True) as callbacks:
        response = auth_client.delete(f"{product_url(product.cd_product)}?hard_delete=true")

    # then the guard's reason is the answer and nothing happened
    assert response.status_code == 409
    assert response.json() == {
        "error": "O produto possui lançamentos no razão e não pode ser removido."
    }
    assert Product.objects.get().is_active is True
    assert callbacks == []
    assert deleted_events == []


@pytest.mark.parametrize("value", ["yes", "1", "sim", "verdadeiro"])
def test_delete_refuses_a_hard_delete_that_is_not_true_or_false(auth_client, make_product, value):
    product = make_product(name="Caneta")

    response = auth_client.delete(f"{product_url(product.cd_product)}?hard_delete={value}")

    assert response.status_code == 400
    assert response.json() == {"error": {"hard_delete": ["Use 'true' ou 'false'."]}}
    assert Product.objects.get().is_active is True


@pytest.mark.parametrize("query", ["", "?hard_delete=true"])
def test_delete_of_an_unknown_id_is_404(auth_client, refusing_guard, query):
    _, seen = refusing_guard

    response = auth_client.delete(product_url(uuid.uuid4()) + query)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert seen == []


def test_delete_of_an_id_that_is_not_a_uuid_is_400(auth_client):
    response = auth_client.delete(product_url("xyz") + "?hard_delete=true")

    assert response.status_code == 400
    assert response.json() == NOT_A_UUID


def test_delete_requires_a_token(api_client, make_product):
    product = make_product(name="Caneta")

    response = api_client.delete(f"{product_url(product.cd_product)}?hard_delete=true")

    assert response.status_code == 401
    assert Product.objects.get().is_active is True


def test_activate_reactivates_a_deactivated_product(auth_client, make_product):
    product = make_product(name="Caneta", is_active=False)

    response = auth_client.patch(product_url(product.cd_product, "/activate"))

    assert response.status_code == 200
    payload = response.json()
    assert payload["message"] == "Produto ativado com sucesso."
    assert payload["product"]["is_active"] is True
    assert Product.objects.get().is_active is True


def test_activate_an_active_product_is_200(auth_client, make_product):
    product = make_product(name="Caneta")

    response = auth_client.patch(product_url(product.cd_product, "/activate"))

    assert response.status_code == 200
    assert response.json()["product"]["is_active"] is True


def test_activate_unknown_or_malformed_id(auth_client):
    assert auth_client.patch(product_url(uuid.uuid4(), "/activate")).json() == NOT_FOUND
    response = auth_client.patch(product_url("nope", "/activate"))
    assert response.status_code == 400
    assert response.json() == NOT_A_UUID


def test_activate_only_answers_patch(auth_client, make_product):
    product = make_product(name="Caneta", is_active=False)

    response = auth_client.post(product_url(product.cd_product, "/activate"))

    assert response.status_code == 405
    assert Product.objects.get().is_active is False
