"""Two requests creating the same name at once: exactly one row, the other gets 409.

A real race on PostgreSQL: another connection has inserted the name but not committed, so our
request's pre-check cannot see it; our INSERT then waits on the unique index and fails when the
other transaction commits. (SQLite serialises writers on a file lock, so it has no such window.)
"""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest
from django.db import connections, transaction

from domains.products.models import Product

from .conftest import PRODUCTS_URL


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_concurrent_create_of_the_same_name_is_409_with_one_row(auth_client):
    if connections["products"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row-level concurrency")
    inserted = threading.Event()
    errors: list[BaseException] = []

    def other_request() -> None:
        try:
            with transaction.atomic(using="products"):
                Product.objects.create(ds_product_name="Caneta Azul", vr_price=Decimal("1.00"))
                inserted.set()
                time.sleep(0.5)  # our request checks, finds nothing, and blocks on INSERT
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)
            inserted.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_request)
    thread.start()
    assert inserted.wait(timeout=10)

    response = auth_client.post(
        PRODUCTS_URL,
        json.dumps({"ds_product_name": "caneta azul", "vr_price": "2.00"}),
        content_type="application/json",
    )
    thread.join(timeout=10)

    assert errors == []
    assert response.status_code == 409
    assert response.json() == {"error": "Já existe um produto com este nome."}
    assert list(Product.objects.values_list("ds_product_name", flat=True)) == ["Caneta Azul"]


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_concurrent_admin_save_of_the_same_name_is_an_error_message_not_a_500(client, staff_user):
    from .test_admin import ADD, form_data

    if connections["products"].vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row-level concurrency")
    client.force_login(staff_user)
    inserted = threading.Event()

    def other_staff_saves() -> None:
        try:
            with transaction.atomic(using="products"):
                Product.objects.create(ds_product_name="Caneta Azul", vr_price=Decimal("1.00"))
                inserted.set()
                time.sleep(0.5)  # the form's check finds nothing; our INSERT blocks, then fails
        finally:
            inserted.set()
            connections.close_all()

    thread = threading.Thread(target=other_staff_saves)
    thread.start()
    assert inserted.wait(timeout=10)

    response = client.post(ADD, form_data(ds_product_name="caneta azul"), follow=True)
    thread.join(timeout=10)

    assert response.status_code == 200
    assert "Já existe um produto com este nome." in response.content.decode()
    assert list(Product.objects.values_list("ds_product_name", flat=True)) == ["Caneta Azul"]
