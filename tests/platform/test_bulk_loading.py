"""``crm.db.bulk``: bulk loads are all-or-nothing, and a table never loses its indexes or its
uniqueness, on PostgreSQL (indexes rebuilt after COPY) and on SQLite (plain inserts)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connections

from crm.db.bulk import bulk_insert, bulk_loading, table_truncate
from domains.customers.models import Customer

FIELDS = ("cd_customer", "ds_customer_name", "ds_customer_cpf_cnpj", "ds_customer_country",
          "dt_customer_created_at", "dt_customer_updated_at", "is_customer_active")  # fmt: skip
NOW = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def row(name: str, document: str) -> tuple:
    return (uuid.uuid4(), name, document, "Brasil", NOW, NOW, True)


def index_definitions() -> set[str]:
    connection = connections["customers"]
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'customer'::regclass"
        )
        return {definition for (definition,) in cursor.fetchall()}


def test_rows_arrive_with_every_value_as_given():
    loaded = bulk_insert(model=Customer, fields=FIELDS, rows=[row("Ana", "52998224725")])

    customer = Customer.objects.get()
    assert loaded == 1
    assert (customer.ds_customer_name, customer.ds_customer_cpf_cnpj) == ("Ana", "52998224725")
    assert customer.dt_customer_created_at == NOW  # not auto_now: the value given


def test_a_failed_load_leaves_no_rows_and_every_index_in_place():
    before = index_definitions()

    with pytest.raises(RuntimeError), bulk_loading(models=[Customer]):
        bulk_insert(model=Customer, fields=FIELDS, rows=[row("Ana", "52998224725")])
        raise RuntimeError("interrupted")

    assert Customer.objects.count() == 0
    assert index_definitions() == before


def test_a_duplicate_fails_the_whole_load_and_keeps_the_unique_rule():
    before = index_definitions()

    with pytest.raises(IntegrityError), bulk_loading(models=[Customer]):
        bulk_insert(model=Customer, fields=FIELDS, rows=[row("Ana", "52998224725")])
        bulk_insert(model=Customer, fields=FIELDS, rows=[row("Bia", "52998224725")])

    assert Customer.objects.count() == 0
    assert index_definitions() == before
    bulk_insert(model=Customer, fields=FIELDS, rows=[row("Ana", "52998224725")])
    with pytest.raises(IntegrityError):
        bulk_insert(model=Customer, fields=FIELDS, rows=[row("Bia", "52998224725")])


def test_truncate_empties_the_tables():
    bulk_insert(model=Customer, fields=FIELDS, rows=[row("Ana", "52998224725")])

    table_truncate(models=[Customer])

    assert Customer.objects.count() == 0
