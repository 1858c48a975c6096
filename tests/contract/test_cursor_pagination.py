"""Cursor pagination on the lists (issue #8): every list answer carries ``next_cursor``; following
it with the same filters walks exactly the rows page mode shows, in the same order, without
``OFFSET``; a malformed, tampered or foreign cursor is a 400 in Portuguese. Runs on PostgreSQL
and on SQLite (same results)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import signing
from django.utils import timezone

from crm.api.pagination import CURSOR_SALT
from domains.customers.models import Customer
from domains.interactions.models import Interaction, Transaction
from domains.products.models import Product

CITIES = ["Recife", None, "Belém", "São Paulo", None, "Aracaju", "Belém"]


@pytest.fixture
def customers(db):
    created = []
    base = timezone.now() - dt.timedelta(days=30)
    for index in range(23):
        created.append(
            Customer.objects.create(
                # Repeated names: the primary key must break the ties.
                ds_customer_name=f"Cliente {index % 7:02d}",
                ds_customer_email=f"c{index}@exemplo.com.br",
                ds_customer_city=CITIES[index % len(CITIES)],
                ds_customer_state=["SP", "RJ", None][index % 3],
                is_customer_active=index % 5 != 0,
            )
        )
    # Same creation instant for some rows, microseconds apart for others.
    for index, customer in enumerate(created):
        stamp = base + dt.timedelta(seconds=index // 4, microseconds=index % 3)
        Customer.objects.filter(pk=customer.pk).update(dt_customer_created_at=stamp)
    return created


def walk_by_cursor(client, url: str, params: dict, key: str) -> tuple[list, list]:
    """Every row of the list following next_cursor; and each answer's envelope keys."""
    seen, envelopes = [], []
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    while True:
        body = response.json()
        envelopes.append(body)
        seen.extend(body[key])
        if body["next_cursor"] is None:
            return seen, envelopes
        response = client.get(url, {**params, "cursor": body["next_cursor"]})
        assert response.status_code == 200, response.content


def walk_by_page(client, url: str, params: dict, key: str) -> list:
    seen, page = [], 1
    while True:
        body = client.get(url, {**params, "page": page}).json()
        if not body[key]:
            return seen
        seen.extend(body[key])
        page += 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"active_only": "false"},
        {"ordering": "-ds_customer_name"},
        {"ordering": "ds_customer_city", "active_only": "false"},
        {"ordering": "-ds_customer_city"},
        {"ordering": "ds_customer_state"},
        {"ordering": "-dt_customer_created_at", "active_only": "false"},
        {"search": "cliente 0"},
        {"state": "SP", "active_only": "false"},
    ],
    ids=repr,
)
def test_following_the_cursor_walks_the_same_rows_as_the_pages(auth_client, customers, params):
    params = {**params, "per_page": 4}

    by_cursor, envelopes = walk_by_cursor(auth_client, "/api/customers", params, "customers")
    by_page = walk_by_page(auth_client, "/api/customers", params, "customers")

    ids = [row["cd_customer"] for row in by_cursor]
    assert ids == [row["cd_customer"] for row in by_page]
    assert len(ids) == len(set(ids)) == envelopes[0]["total"]
    # Cursor answers: the same envelope without the (uncounted) total and pages.
    for number, envelope in enumerate(envelopes[1:], start=2):
        assert set(envelope) == {"customers", "current_page", "per_page", "next_cursor"}
        assert envelope["current_page"] == number
        assert envelope["per_page"] == 4


def test_nulls_sort_after_values_ascending_and_before_them_descending(auth_client, customers):
    params = {"ordering": "ds_customer_city", "active_only": "false", "per_page": 100}
    ascending = [
        row["ds_customer_city"]
        for row in auth_client.get("/api/customers", params).json()["customers"]
    ]
    params["ordering"] = "-ds_customer_city"
    descending = [
        row["ds_customer_city"]
        for row in auth_client.get("/api/customers", params).json()["customers"]
    ]

    assert ascending[-1] is None and ascending[0] == "Aracaju"
    assert descending[0] is None and descending[-1] == "Aracaju"


def test_a_page_answer_carries_the_cursor_of_its_last_row(auth_client, customers):
    page_two = auth_client.get("/api/customers", {"per_page": 3, "page": 2}).json()
    page_three = auth_client.get("/api/customers", {"per_page": 3, "page": 3}).json()

    after_two = auth_client.get(
        "/api/customers", {"per_page": 3, "cursor": page_two["next_cursor"]}
    ).json()

    assert after_two["customers"] == page_three["customers"]
    assert after_two["current_page"] == 3


def test_the_last_page_has_no_cursor(auth_client, customers):
    body = auth_client.get("/api/customers", {"per_page": 100}).json()

    assert body["total"] == len(body["customers"])
    assert body["next_cursor"] is None


def test_per_page_may_change_while_following_a_cursor(auth_client, customers):
    first = auth_client.get("/api/customers", {"per_page": 2}).json()
    rest = auth_client.get("/api/customers", {"per_page": 50, "cursor": first["next_cursor"]})
    everything = auth_client.get("/api/customers", {"per_page": 100}).json()["customers"]

    assert first["customers"] + rest.json()["customers"] == everything


def test_rows_added_before_the_position_do_not_shift_the_next_page(auth_client, customers):
    first = auth_client.get("/api/customers", {"per_page": 5}).json()
    expected = auth_client.get("/api/customers", {"per_page": 5, "page": 2}).json()["customers"]
    Customer.objects.create(ds_customer_name="AAA inserida no começo")

    after = auth_client.get("/api/customers", {"per_page": 5, "cursor": first["next_cursor"]})

    assert after.json()["customers"] == expected


@pytest.mark.parametrize(
    "cursor",
    ["abc", "9" * 5000, "e30:1tLGpx:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
    ids=["garbage", "huge", "bad-signature"],
)
def test_a_malformed_cursor_is_a_400_in_portuguese(auth_client, customers, cursor):
    response = auth_client.get("/api/customers", {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {"error": {"cursor": ["Cursor inválido ou adulterado."]}}


def test_a_cursor_with_a_nul_byte_is_a_400(auth_client, customers):
    response = auth_client.get("/api/customers", {"cursor": "a\x00b"})

    assert response.status_code == 400
    assert list(response.json()["error"]) == ["cursor"]


def test_a_tampered_cursor_is_a_400(auth_client, customers):
    cursor = auth_client.get("/api/customers", {"per_page": 2}).json()["next_cursor"]
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    forged = signing.dumps({**payload, "p": 7}, salt=CURSOR_SALT + "x", compress=True)

    response = auth_client.get("/api/customers", {"cursor": forged})

    assert response.status_code == 400
    assert "cursor" in response.json()["error"]


def test_a_signed_cursor_with_values_of_the_wrong_kind_is_a_400(auth_client, customers):
    cursor = auth_client.get(
        "/api/customers", {"per_page": 2, "ordering": "-dt_customer_created_at"}
    ).json()["next_cursor"]
    payload = signing.loads(cursor, salt=CURSOR_SALT)
    payload["k"][0] = "não é uma data"
    forged = signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    response = auth_client.get(
        "/api/customers", {"cursor": forged, "ordering": "-dt_customer_created_at"}
    )

    assert response.status_code == 400
    assert response.json() == {"error": {"cursor": ["Cursor inválido ou adulterado."]}}


@pytest.mark.parametrize(
    "other",
    [{"ordering": "-ds_customer_name"}, {"search": "cliente"}, {"active_only": "false"}],
    ids=repr,
)
def test_a_cursor_used_with_other_filters_is_a_400(auth_client, customers, other):
    cursor = auth_client.get("/api/customers", {"per_page": 2}).json()["next_cursor"]

    response = auth_client.get("/api/customers", {"per_page": 2, "cursor": cursor, **other})

    assert response.status_code == 400
    message = response.json()["error"]["cursor"][0]
    assert message.startswith("Este cursor pertence a outra consulta")


def test_a_cursor_of_another_list_is_a_400(auth_client, customers):
    Product.objects.create(ds_product_name="Produto A", vr_price=Decimal("1.00"))
    Product.objects.create(ds_product_name="Produto B", vr_price=Decimal("1.00"))
    cursor = auth_client.get("/api/products", {"per_page": 1}).json()["next_cursor"]

    response = auth_client.get("/api/customers", {"per_page": 1, "cursor": cursor})

    assert response.status_code == 400


def test_a_cursor_error_is_in_english_when_asked(auth_client, customers):
    response = auth_client.get("/api/customers", {"cursor": "abc"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {"error": {"cursor": ["Invalid or tampered cursor."]}}


@pytest.mark.parametrize(
    "params",
    [{}, {"ordering": "-vr_price,ds_product_name"}, {"search": "pro", "active_only": "false"}],
    ids=repr,
)
def test_products_walk_by_cursor(auth_client, params):
    for index in range(11):
        Product.objects.create(
            # Names differing only in case sort together (the list sorts case-insensitively).
            ds_product_name=f"{'produto' if index % 2 else 'Produto'} {index % 4} #{index}",
            vr_price=Decimal(index % 3) + Decimal("0.10"),
            is_active=index != 4,
        )
    params = {**params, "per_page": 3}

    by_cursor, _ = walk_by_cursor(auth_client, "/api/products", params, "products")
    by_page = walk_by_page(auth_client, "/api/products", params, "products")

    assert [row["cd_product"] for row in by_cursor] == [row["cd_product"] for row in by_page]
    assert len(by_cursor) == len({row["cd_product"] for row in by_cursor})


def test_interactions_and_ledger_walk_by_cursor(auth_client, user, customers):
    customer = customers[1]
    moment = timezone.now() - dt.timedelta(days=3)
    for index in range(9):
        Interaction.objects.create(
            cd_customer=customer.pk,
            cd_user=user.pk,
            ds_notes=f"Nota número {index}",
            id_interaction_type="ligacao",
            dt_interaction=moment + dt.timedelta(hours=index // 3),  # ties on the date
        )
        Transaction.objects.create(
            cd_customer=customer.pk,
            cd_user=user.pk,
            vr_transaction=Decimal("10.00") + index,
            id_transaction_type=1 + index % 2,
            dt_transaction=dt.date(2026, 11, 1 + index // 4),
        )
    for url, key in [
        (f"/api/customers/{customer.pk}/interactions", "interactions"),
        (f"/api/customers/{customer.pk}/transactions", "transactions"),
    ]:
        by_cursor, envelopes = walk_by_cursor(auth_client, url, {"per_page": 2}, key)
        by_page = walk_by_page(auth_client, url, {"per_page": 2}, key)

        assert by_cursor == by_page, url
        assert len(by_cursor) == 9
        assert len(envelopes) == 5
