"""The list envelope's ``total`` stays exact however rows arrive (issue #8): through the API, or
by plain SQL (a DBA's ``INSERT ... SELECT``, ``UPDATE``, ``DELETE``, ``TRUNCATE``) with today's
columns. On PostgreSQL the unfiltered totals come from a counter the database keeps
(``crm.db.counts``); filtered ones are real counts. On SQLite everything is a real count, with
the same answers."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test.utils import CaptureQueriesContext

from domains.customers.models import Customer
from domains.products.models import Product

INSERT_CUSTOMERS = """
INSERT INTO customer (cd_customer, ds_customer_name, ds_customer_email, ds_customer_cpf_cnpj,
    ds_customer_country, dt_customer_created_at, dt_customer_updated_at, is_customer_active)
SELECT {uuid}, 'Carga ' || i, 'carga' || i || '@exemplo.com.br', NULL, 'Brasil',
    {now}, {now}, i % 4 <> 0
FROM {series}
"""


def postgres() -> bool:
    return connections["customers"].vendor == "postgresql"


def bulk_insert_customers(count: int, *, start: int = 0) -> None:
    if postgres():
        sql = INSERT_CUSTOMERS.format(
            uuid="gen_random_uuid()",
            now="now()",
            series=f"generate_series({start + 1}, {start + count}) AS i",
        )
    else:
        sql = INSERT_CUSTOMERS.format(
            uuid="lower(hex(randomblob(16)))",
            now="strftime('%Y-%m-%d %H:%M:%f', 'now')",
            series=f"(WITH RECURSIVE s(i) AS (SELECT {start + 1} UNION ALL SELECT i + 1 FROM s "
            f"WHERE i < {start + count}) SELECT i FROM s)",
        )
    with connections["customers"].cursor() as cursor:
        cursor.execute(sql)


def raw(sql: str, alias: str = "customers") -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)


def totals(client, url: str = "/api/customers") -> tuple[int, int]:
    active = client.get(url).json()["total"]
    every = client.get(url, {"active_only": "false"}).json()["total"]
    return active, every


def real_counts() -> tuple[int, int]:
    with connections["customers"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM customer WHERE is_customer_active")
        (active,) = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM customer")
        (every,) = cursor.fetchone()
    return active, every


def test_total_is_exact_after_raw_bulk_sql(auth_client):
    assert (
        auth_client.post(
            "/api/customers", {"ds_customer_name": "Pela API"}, format="json"
        ).status_code
        == 201
    )

    bulk_insert_customers(400)
    assert totals(auth_client) == real_counts() == (301, 401)

    raw(
        "UPDATE customer SET is_customer_active = NOT is_customer_active "
        "WHERE ds_customer_name LIKE 'Carga 1%'"
    )
    assert totals(auth_client) == real_counts()

    raw("DELETE FROM customer WHERE ds_customer_name LIKE 'Carga 2%'")
    assert totals(auth_client) == real_counts()

    raw("UPDATE customer SET ds_customer_phone = '(11) 1111-1111'")  # no count changes
    assert totals(auth_client) == real_counts()


def test_total_is_exact_after_truncate(auth_client):
    bulk_insert_customers(50)
    raw("DELETE FROM customer" if not postgres() else "TRUNCATE customer")

    assert totals(auth_client) == (0, 0)

    bulk_insert_customers(8)
    assert totals(auth_client) == real_counts() == (6, 8)


def test_deactivate_and_activate_through_the_api_move_the_active_total(auth_client):
    bulk_insert_customers(12)
    customer = Customer.objects.filter(is_customer_active=True).first()

    auth_client.delete(f"/api/customers/{customer.pk}")
    assert totals(auth_client) == (8, 12)

    auth_client.patch(f"/api/customers/{customer.pk}/activate")
    assert totals(auth_client) == (9, 12)

    auth_client.delete(f"/api/customers/{customer.pk}?hard_delete=true")
    assert totals(auth_client) == (8, 11)


def test_filtered_totals_are_real_counts(auth_client):
    bulk_insert_customers(30)

    body = auth_client.get("/api/customers", {"search": "carga 1"}).json()

    # "Carga 1" and "Carga 10".."Carga 19", minus the inactive ones: counted for real.
    expected = Customer.objects.filter(
        is_customer_active=True, ds_customer_name__icontains="carga 1"
    ).count()
    assert body["total"] == expected == len(body["customers"])


def test_unfiltered_totals_read_the_counter_not_the_table(auth_client):
    if not postgres():
        pytest.skip("the counter is PostgreSQL's; SQLite counts rows")
    bulk_insert_customers(5)

    with CaptureQueriesContext(connections["customers"]) as queries:
        response = auth_client.get("/api/customers", {"per_page": 1})

    assert response.json()["total"] == 4
    sqls = [query["sql"] for query in queries.captured_queries]
    assert not [sql for sql in sqls if "COUNT(" in sql.upper()], sqls
    assert [sql for sql in sqls if '"customer_row_count"' in sql], sqls


def test_product_totals_follow_raw_sql(auth_client):
    for index in range(3):
        Product.objects.create(ds_product_name=f"Produto {index}", vr_price="1.00")
    raw("UPDATE product SET is_active = false WHERE ds_product_name = 'Produto 1'", "products")

    assert totals(auth_client, "/api/products") == (2, 3)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_concurrent_writers_neither_block_each_other_nor_lose_counts(auth_client):
    if not postgres():
        pytest.skip("needs PostgreSQL's concurrent sessions")
    errors = []

    def writer(number: int) -> None:
        try:
            for round_ in range(10):
                Customer.objects.create(ds_customer_name=f"Concorrente {number}-{round_}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert totals(auth_client) == real_counts() == (40, 40)


def test_rowcounts_verify_catches_a_counter_that_drifted_and_rebuild_repairs_it(auth_client):
    if not postgres():
        pytest.skip("the counters are PostgreSQL's")
    bulk_insert_customers(20)
    # A load that ran with the triggers switched off leaves the counter behind.
    raw("ALTER TABLE customer DISABLE TRIGGER customer_row_count_insert")
    bulk_insert_customers(4, start=20)
    raw("ALTER TABLE customer ENABLE TRIGGER customer_row_count_insert")
    assert totals(auth_client) != real_counts()

    with pytest.raises(CommandError, match="1 contagem"):
        call_command("rowcounts_verify", stdout=StringIO(), stderr=StringIO())

    out = StringIO()
    call_command("rowcounts_verify", "--rebuild", stdout=out)
    assert "customer: 24 linha(s), confere." in out.getvalue()
    assert totals(auth_client) == real_counts() == (18, 24)
    call_command("rowcounts_verify", stdout=StringIO())
