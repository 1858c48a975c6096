"""The products' audit trail (README "Audit trail"): create, change, deactivate, reactivate and
hard delete recorded with who, when, from which IP and the values changed, through the API and
the admin; append-only; written in the change's transaction; ``GET /api/products/<id>/history``.
"""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError

from crm.api.exceptions import ApplicationError
from crm.models import AppendOnlyError
from domains.products import services
from domains.products.models import Product, ProductHistory
from tests.history_helpers import inserts_refused

from .conftest import PRODUCTS_URL, product_url

CLIENT_IP = "203.0.113.9"


def history(client, product_id, **query) -> dict:
    response = client.get(product_url(product_id, "/history"), query)
    assert response.status_code == 200, response.content
    return response.json()


def actions(product_id) -> list[str]:
    return [e.ds_action for e in ProductHistory.objects.filter(cd_product=product_id)]


def create_through_api(client, **fields) -> str:
    body = {"ds_product_name": "Consultoria fiscal", "vr_price": "150.00", **fields}
    response = client.post(PRODUCTS_URL, body, format="json", REMOTE_ADDR=CLIENT_IP)
    assert response.status_code == 201, response.content
    return response.json()["product"]["cd_product"]


def test_a_creation_is_recorded_with_user_ip_and_values_money_as_text(auth_client, user):
    product_id = create_through_api(auth_client, id_product_type="servico")

    [event] = history(auth_client, product_id)["history"]

    assert event["ds_action"] == "criado"
    assert (event["cd_user"], event["ds_user"], event["ds_ip"]) == (
        str(user.pk),
        "Ana Souza",
        CLIENT_IP,
    )
    assert event["changes"] == {
        "ds_product_name": [None, "Consultoria fiscal"],
        "vr_price": [None, "150.00"],
        "id_product_type": [None, "servico"],
        "is_active": [None, True],
    }


def test_a_change_records_the_changed_fields_only(auth_client):
    product_id = create_through_api(auth_client)

    auth_client.put(
        product_url(product_id),
        {"vr_price": 180, "ds_product_name": "Consultoria fiscal"},
        format="json",
    )

    newest = history(auth_client, product_id)["history"][0]
    assert (newest["ds_action"], newest["changes"]) == (
        "alterado",
        {"vr_price": ["150.00", "180.00"]},
    )


@pytest.mark.parametrize(
    ("deactivate", "reactivate"),
    [
        pytest.param(
            lambda c, p: c.delete(product_url(p)),
            lambda c, p: c.patch(product_url(p, "/activate")),
            id="delete-and-activate",
        ),
        pytest.param(
            lambda c, p: c.patch(product_url(p), {"is_active": False}, format="json"),
            lambda c, p: c.patch(product_url(p), {"is_active": True}, format="json"),
            id="is_active-in-an-update",
        ),
    ],
)
def test_deactivation_and_reactivation_whichever_way(auth_client, deactivate, reactivate):
    product_id = create_through_api(auth_client)

    assert deactivate(auth_client, product_id).status_code == 200
    assert deactivate(auth_client, product_id).status_code == 200  # already inactive: nothing
    assert reactivate(auth_client, product_id).status_code == 200

    events = history(auth_client, product_id)["history"]
    assert [(e["ds_action"], e["changes"]) for e in events[:2]] == [
        ("reativado", {"is_active": [False, True]}),
        ("desativado", {"is_active": [True, False]}),
    ]
    assert len(events) == 3


def test_a_hard_delete_is_recorded_and_the_history_stays_readable(auth_client, user):
    product_id = create_through_api(auth_client)

    response = auth_client.delete(product_url(product_id) + "?hard_delete=true")

    assert response.status_code == 200
    assert auth_client.get(product_url(product_id)).status_code == 404
    body = history(auth_client, product_id)
    assert body["total"] == 2
    newest = body["history"][0]
    assert (newest["ds_action"], newest["cd_user"]) == ("excluido", str(user.pk))
    assert newest["changes"]["vr_price"] == ["150.00", None]


def test_history_is_newest_first_and_paginated(auth_client):
    product_id = create_through_api(auth_client, vr_price="1.00")
    for price in ("2.00", "3.00"):
        auth_client.put(product_url(product_id), {"vr_price": price}, format="json")

    page_one = history(auth_client, product_id, per_page=2)
    page_two = history(auth_client, product_id, per_page=2, page=2)

    assert (page_one["total"], page_one["pages"], page_one["current_page"]) == (3, 2, 1)
    assert [e["changes"]["vr_price"] for e in page_one["history"]] == [
        ["2.00", "3.00"],
        ["1.00", "2.00"],
    ]
    assert [e["ds_action"] for e in page_two["history"]] == ["criado"]


def test_an_unknown_product_is_a_404(auth_client):
    response = auth_client.get(product_url(uuid.uuid4(), "/history"))

    assert response.status_code == 404
    assert response.json() == {"error": "Produto não encontrado."}


def test_a_refused_change_writes_no_history(auth_client, make_product):
    make_product(name="Nome Tomado")
    product_id = create_through_api(auth_client)

    invalid = auth_client.put(product_url(product_id), {"vr_price": "-1"}, format="json")
    taken = auth_client.put(
        product_url(product_id), {"ds_product_name": "nome tomado"}, format="json"
    )

    assert (invalid.status_code, taken.status_code) == (400, 409)
    assert actions(product_id) == ["criado"]


def test_a_change_whose_history_cannot_be_written_is_not_made(make_product):
    product = make_product(price="10.00")

    with inserts_refused(table="product_history", alias="products"):
        with pytest.raises((DatabaseError, ApplicationError)):
            services.product_update(product_id=product.pk, vr_price="20.00")
        with pytest.raises((DatabaseError, ApplicationError)):
            services.product_deactivate_many(product_ids=[product.pk])
        with pytest.raises((DatabaseError, ApplicationError)):
            services.product_hard_delete(product_id=product.pk)

    product.refresh_from_db()
    assert (str(product.vr_price), product.is_active) == ("10.00", True)
    assert actions(product.pk) == ["criado"]


def test_history_rows_are_append_only(make_product):
    product = make_product()
    [event] = ProductHistory.objects.filter(cd_product=product.pk)

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        ProductHistory.objects.all().delete()

    assert Product.objects.filter(pk=product.pk).exists()
    assert actions(product.pk) == ["criado"]


# --- the admin -----------------------------------------------------------------------------------

HISTORY_CHANGELIST = "/admin/products/producthistory/"


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_admin_bulk_actions_and_deletes_are_recorded_as_the_staff_user(
    staff_client, staff_user, make_product
):
    one, two = make_product(name="Produto Um"), make_product(name="Produto Dois")

    staff_client.post(
        "/admin/products/product/",
        {"action": "deactivate_selected", "_selected_action": [one.pk, two.pk]},
    )
    staff_client.post(f"/admin/products/product/{one.pk}/delete/", {"post": "yes"})

    assert actions(one.pk) == ["excluido", "desativado", "criado"]
    assert actions(two.pk) == ["desativado", "criado"]
    for event in ProductHistory.objects.exclude(ds_action="criado"):
        assert (event.cd_user, event.ds_ip) == (staff_user.pk, "127.0.0.1")


def test_the_admin_history_is_read_only(staff_client, auth_client):
    product_id = create_through_api(auth_client)
    event = ProductHistory.objects.get(cd_product=product_id)

    page = staff_client.get(HISTORY_CHANGELIST)
    button = staff_client.get(f"/admin/products/product/{product_id}/history/")

    assert page.status_code == 200
    assert "Consultoria fiscal" in page.content.decode()
    assert "Ana Souza" in page.content.decode()
    assert button["Location"] == f"{HISTORY_CHANGELIST}?cd_product={product_id}"
    assert staff_client.get(f"{HISTORY_CHANGELIST}add/").status_code == 403
    assert (
        staff_client.post(f"{HISTORY_CHANGELIST}{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert actions(product_id) == ["criado"]
