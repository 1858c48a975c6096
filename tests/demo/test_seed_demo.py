"""``manage.py seed_demo``: valid, deterministic, refuses to overwrite data, served by the API.

Runs on whichever database the suite uses (SQLite or PostgreSQL) at small sizes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from domains.accounts.models import User
from domains.customers.models import Customer
from domains.customers.validators import cpf_cnpj_is_valid, customer_clean
from domains.interactions.models import Interaction, InteractionType, Transaction
from domains.products.models import Product, ProductType
from tests.conftest import bearer_for

END = dt.date(2026, 6, 30)
SIZES = {"users": 4, "products": 15, "customers": 250, "interactions": 600, "transactions": 900}
START_MOMENT = dt.datetime(2024, 6, 30, tzinfo=dt.UTC)  # END - 730 days
END_MOMENT = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)


def seed(**options):
    call_command(
        "seed_demo",
        **{**SIZES, "seed": 7, "end_date": END, "no_progress": True, "verbosity": 0, **options},
    )


def snapshot() -> dict[str, list[tuple]]:
    """Every generated row of every table, in primary-key order."""
    return {
        "users": list(
            User.objects.order_by("cd_user").values_list("cd_user", "ds_user", "ds_user_email")
        ),
        "products": list(Product.objects.order_by("cd_product").values_list()),
        "customers": list(Customer.objects.order_by("cd_customer").values_list()),
        "interactions": list(Interaction.objects.order_by("cd_interaction").values_list()),
        "transactions": list(Transaction.objects.order_by("cd_transaction").values_list()),
    }


def test_every_table_gets_the_asked_number_of_rows():
    seed()

    assert User.objects.count() == SIZES["users"]
    assert Product.objects.count() == SIZES["products"]
    assert Customer.objects.count() == SIZES["customers"]
    assert Interaction.objects.count() == SIZES["interactions"]
    assert Transaction.objects.count() == SIZES["transactions"]


def test_customers_are_valid_under_every_rule_and_unique():
    seed()
    customers = list(Customer.objects.values())
    writable = [
        "ds_customer_name", "ds_customer_email", "ds_customer_phone", "ds_customer_cpf_cnpj",
        "ds_customer_address", "ds_customer_city", "ds_customer_state", "ds_customer_zip_code",
        "ds_customer_country",
    ]  # fmt: skip

    for customer in customers:
        stored = {field: customer[field] for field in writable}
        # The domain's own rules give back exactly what is stored: valid and normalised.
        assert customer_clean(data=stored, creating=True) == stored
        assert cpf_cnpj_is_valid(customer["ds_customer_cpf_cnpj"])
        assert START_MOMENT <= customer["dt_customer_created_at"] < END_MOMENT
        assert customer["dt_customer_created_at"] <= customer["dt_customer_updated_at"] < END_MOMENT

    documents = [customer["ds_customer_cpf_cnpj"] for customer in customers]
    emails = [c["ds_customer_email"].lower() for c in customers if c["ds_customer_email"]]
    assert len(set(documents)) == len(customers)
    assert len(set(emails)) == len(emails)
    assert {len(document) for document in documents} == {11, 14}  # people and companies
    assert sum(not c["is_customer_active"] for c in customers) == SIZES["customers"] // 10


def test_products_are_valid_with_unique_names():
    seed()
    products = list(Product.objects.all())

    for product in products:
        product.full_clean()
        assert 3 <= len(product.ds_product_name) <= 255
        assert product.vr_price >= 0
        assert product.vr_price == product.vr_price.quantize(Decimal("0.01"))
    assert len({p.ds_product_name.lower() for p in products}) == len(products)
    assert {p.id_product_type for p in products} == set(ProductType.values)


def test_users_exist_but_cannot_log_in(api_client):
    seed()

    for user in User.objects.all():
        assert not user.has_usable_password()
        assert user.ds_user_email.endswith("@crm-demo.example")
        assert not user.is_staff and not user.is_superuser
    response = api_client.post(
        "/auth/login",
        {"ds_user_email": User.objects.first().ds_user_email, "password": ""},
        format="json",
    )
    assert response.status_code in (400, 401)


def test_interactions_are_valid_and_belong_to_existing_customers_and_users():
    seed()
    arrival = dict(Customer.objects.values_list("cd_customer", "dt_customer_created_at"))
    users = set(User.objects.values_list("cd_user", flat=True))

    for interaction in Interaction.objects.all():
        interaction.full_clean()
        assert len(interaction.ds_notes) >= 5
        assert interaction.cd_customer in arrival and interaction.cd_user in users
        assert arrival[interaction.cd_customer] <= interaction.dt_interaction < END_MOMENT
        assert interaction.dt_interaction <= interaction.dt_created_at <= END_MOMENT
    assert set(Interaction.objects.values_list("id_interaction_type", flat=True)) == set(
        InteractionType.values
    )


def test_ledger_entries_are_valid_with_both_types_and_proper_reversals():
    seed()
    customers = set(Customer.objects.values_list("cd_customer", flat=True))
    products = set(Product.objects.values_list("cd_product", flat=True))
    entries = {entry.cd_transaction: entry for entry in Transaction.objects.all()}

    for entry in entries.values():
        entry.full_clean(validate_unique=False, validate_constraints=True)
        assert Decimal("0") < entry.vr_transaction <= Decimal("9999999999.99")
        assert entry.vr_transaction == entry.vr_transaction.quantize(Decimal("0.01"))
        assert entry.cd_customer in customers
        assert entry.cd_product is None or entry.cd_product in products
        assert START_MOMENT.date() <= entry.dt_transaction <= END
    assert {entry.id_transaction_type for entry in entries.values()} == {1, 2}

    reversals = [entry for entry in entries.values() if entry.reversal_of_id]
    assert reversals, "a few entries are reversed, as /reverse would record it"
    for reversal in reversals:
        original = entries[reversal.reversal_of_id]
        assert original.reversal_of_id is None  # a reversal is never reversed
        assert reversal.id_transaction_type != original.id_transaction_type
        assert (reversal.vr_transaction, reversal.cd_customer, reversal.cd_product) == (
            original.vr_transaction,
            original.cd_customer,
            original.cd_product,
        )
        assert reversal.dt_transaction >= original.dt_transaction


def test_the_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    seed()
    first = snapshot()

    seed(force=True)
    assert snapshot() == first

    seed(force=True, seed=8)
    other = snapshot()
    assert other["customers"] != first["customers"]
    assert len(other["customers"]) == len(first["customers"])


def test_refuses_a_database_that_already_holds_data_and_writes_nothing():
    Customer.objects.create(ds_customer_name="Cliente real", ds_customer_cpf_cnpj="52998224725")

    with pytest.raises(CommandError, match=r"já contém dados.*1 clientes.*--force"):
        seed()

    assert Customer.objects.count() == 1
    assert Product.objects.count() == 0
    assert User.objects.count() == 0


def test_force_replaces_demo_data_but_keeps_real_accounts(staff_user):
    seed()
    with pytest.raises(CommandError):
        seed(customers=10)

    seed(force=True, customers=10, interactions=20, transactions=30)

    assert Customer.objects.count() == 10
    assert Interaction.objects.count() == 20
    assert Transaction.objects.count() == 30
    assert User.objects.filter(pk=staff_user.pk).exists()
    assert User.objects.count() == SIZES["users"] + 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"customers": -1}, "negativa"),
        ({"customers": 0}, "--customers"),
        ({"users": 0}, "--users"),
    ],
)
def test_impossible_sizes_are_refused_before_anything_is_written(options, message):
    with pytest.raises(CommandError, match=message):
        seed(**options)

    assert User.objects.count() == 0 and Product.objects.count() == 0


def test_the_api_serves_demo_customers_and_finds_them_by_cpf_fragment(api_client, staff_user):
    seed()
    customer = Customer.objects.filter(is_customer_active=True).order_by("cd_customer").first()
    api_client.credentials(HTTP_AUTHORIZATION=bearer_for(staff_user))

    detail = api_client.get(f"/api/customers/{customer.cd_customer}")
    found = api_client.get(
        "/api/customers", {"search": customer.ds_customer_cpf_cnpj[2:9], "per_page": 100}
    )
    balance = api_client.get(f"/api/customers/{customer.cd_customer}/balance")

    assert detail.status_code == 200
    assert detail.json()["customer"]["ds_customer_cpf_cnpj"] == customer.ds_customer_cpf_cnpj
    assert found.status_code == 200
    assert str(customer.cd_customer) in {c["cd_customer"] for c in found.json()["customers"]}
    assert balance.status_code == 200


@pytest.mark.skipif(
    connections["customers"].vendor != "postgresql", reason="indexes are rebuilt on PostgreSQL"
)
def test_postgresql_indexes_and_constraints_are_all_back_after_the_load():
    def definitions(alias: str, table: str) -> set[str]:
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass",
                [table],
            )
            indexes = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass",
                [table],
            )
            return indexes | {f"{name} {definition}" for name, definition in cursor.fetchall()}

    tables = [("customers", "customer"), ("products", "product"),
              ("interactions", "interaction"), ("interactions", '"transaction"')]  # fmt: skip
    before = {table: definitions(alias, table) for alias, table in tables}

    seed()

    assert {table: definitions(alias, table) for alias, table in tables} == before
    assert all(before.values())


def square(number: int) -> int:
    return number * number


def test_work_done_in_worker_processes_comes_back_in_order():
    from crm.demo import in_workers

    assert list(in_workers(square, [(n,) for n in range(9)], workers=2)) == [
        n * n for n in range(9)
    ]


@pytest.mark.skipif(
    connections["customers"].vendor != "postgresql", reason="workers feed COPY on PostgreSQL"
)
def test_customers_made_by_worker_processes_are_exactly_the_in_process_rows(monkeypatch):
    from crm import demo
    from domains.customers.demo import FIELDS, customer_rows

    monkeypatch.setattr(demo, "CHUNK", 100)  # several chunks, so several workers
    seed(products=1, interactions=0, transactions=0)

    expected = [
        row
        for first in range(0, SIZES["customers"], 100)
        for row in customer_rows(
            seed=7, first=first, count=min(100, SIZES["customers"] - first), end_date=END,
            total=SIZES["customers"],
        )
    ]  # fmt: skip
    stored = list(Customer.objects.values_list(*FIELDS))
    assert sorted(stored) == sorted(expected)
