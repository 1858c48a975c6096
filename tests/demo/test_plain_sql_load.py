"""An external load (issue #8, "Done when"): the data set written by plain SQL ``INSERT ...
SELECT`` into our tables (``bench/plain_sql_load.sql`` through ``psql``, no app code), at a
small size, into the PostgreSQL test database. What the API and the selectors see afterwards
must be right: the rows, the exact list totals (database-kept row counters), the ledger's
balances and cash-flow totals (database-kept aggregates, checked by ``ledger_verify``)."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.models import Count, Q, Sum

from bench.plain_sql import plain_sql_load
from domains.customers.models import Customer
from domains.customers.validators import cpf_cnpj_is_valid
from domains.interactions.models import Interaction, Transaction
from domains.products.models import Product

SIZES = {"customers": 2000, "products": 60, "interactions": 4000, "transactions": 2000}

pytestmark = [
    pytest.mark.skipif(
        connections["customers"].vendor != "postgresql",
        reason="the plain-SQL load is PostgreSQL's (psql, generate_series, schemas per domain)",
    ),
    pytest.mark.needs("postgres-tools"),  # psql: skipped on a laptop without it, required in CI
    # psql commits in its own session: the rows must be visible to ours, then flushed.
    pytest.mark.django_db(transaction=True, databases="__all__"),
]


def database_url() -> str:
    settings = connections["customers"].settings_dict
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def loaded() -> dict[str, float]:
    return plain_sql_load(database_url(), sizes=SIZES, end_date="2026-11-30")


def test_every_table_is_loaded_at_its_size_with_valid_rows(loaded):
    assert set(loaded) == {
        "users",
        "customers",
        "products",
        "interactions",
        "transactions",
        "total",
    }
    assert Customer.objects.count() == SIZES["customers"]
    assert Customer.objects.filter(is_customer_active=False).count() == SIZES["customers"] // 10
    assert Product.objects.count() == SIZES["products"]
    assert Interaction.objects.count() == SIZES["interactions"]
    assert Transaction.objects.count() == SIZES["transactions"]

    documents = list(Customer.objects.values_list("ds_customer_cpf_cnpj", flat=True))
    assert all(cpf_cnpj_is_valid(document) for document in documents)
    assert {len(document) for document in documents} == {11, 14}  # people and companies
    emails = [e for e in Customer.objects.values_list("ds_customer_email", flat=True) if e]
    assert len(emails) == len({email.lower() for email in emails}) > SIZES["customers"] * 0.9
    assert Customer.objects.values("ds_customer_state").distinct().count() > 10

    # Every reference points at an existing row of the other domain.
    customers = set(Customer.objects.values_list("cd_customer", flat=True))
    assert set(Interaction.objects.values_list("cd_customer", flat=True)) <= customers
    assert set(Transaction.objects.values_list("cd_customer", flat=True)) <= customers
    products = set(Product.objects.values_list("cd_product", flat=True))
    sold = set(Transaction.objects.exclude(cd_product=None).values_list("cd_product", flat=True))
    assert sold and sold <= products

    # 0.5% reversals, each of a distinct entry, of the opposite type and the same amount.
    reversals = Transaction.objects.exclude(reversal_of=None).select_related("reversal_of")
    assert reversals.count() == SIZES["transactions"] // 200
    for entry in reversals:
        assert entry.id_transaction_type != entry.reversal_of.id_transaction_type
        assert entry.vr_transaction == entry.reversal_of.vr_transaction
        assert entry.cd_customer == entry.reversal_of.cd_customer
    assert Transaction.objects.filter(dt_transaction__gt=dt.date(2026, 11, 30)).count() == 0


def test_the_api_sees_the_rows_with_exact_totals(loaded, auth_client):
    every = auth_client.get("/api/customers", {"active_only": "false"}).json()
    active = auth_client.get("/api/customers").json()
    with connections["customers"].cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE is_customer_active) FROM customer")
        real_every, real_active = cursor.fetchone()
    assert every["total"] == real_every == SIZES["customers"]
    assert active["total"] == real_active == SIZES["customers"] * 9 // 10
    products = auth_client.get("/api/products").json()
    assert products["total"] == Product.objects.filter(is_active=True).count() > 0

    customer = Customer.objects.filter(is_customer_active=True).order_by("?").first()
    answer = auth_client.get(f"/api/customers/{customer.pk}").json()["customer"]
    assert answer["ds_customer_name"] == customer.ds_customer_name
    fragment = customer.ds_customer_cpf_cnpj[2:9]
    found = auth_client.get("/api/customers", {"search": fragment}).json()
    assert customer.ds_customer_name in [row["ds_customer_name"] for row in found["customers"]]

    busiest = (
        Interaction.objects.values("cd_customer").annotate(n=Count("pk")).order_by("-n").first()
    )
    timeline = auth_client.get(f"/api/customers/{busiest['cd_customer']}/interactions").json()
    assert timeline["total"] == busiest["n"] > 1


def test_kept_counts_and_ledger_totals_equal_a_recomputation(loaded, auth_client):
    rowcounts = StringIO()
    call_command("rowcounts_verify", stdout=rowcounts)  # CommandError on any difference
    assert f"customer: {SIZES['customers']} linha(s), confere." in rowcounts.getvalue()
    ledger = StringIO()
    call_command("ledger_verify", stdout=ledger)
    assert "0 diferença(s)" in ledger.getvalue()

    customer_id = (
        Transaction.objects.values("cd_customer")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["cd_customer"]
    )
    balance = auth_client.get(f"/api/customers/{customer_id}/balance").json()["balance"]
    sums = Transaction.objects.filter(cd_customer=customer_id).aggregate(
        entradas=Sum("vr_transaction", filter=Q(id_transaction_type=1), default=Decimal(0)),
        saidas=Sum("vr_transaction", filter=Q(id_transaction_type=2), default=Decimal(0)),
        n=Count("pk"),
    )
    assert Decimal(balance["vr_total_entradas"]) == sums["entradas"]
    assert Decimal(balance["vr_total_saidas"]) == sums["saidas"]
    assert balance["qt_transactions"] == sums["n"]


def test_it_refuses_a_database_that_already_holds_rows(loaded):
    with pytest.raises(subprocess.CalledProcessError) as refused:
        plain_sql_load(database_url(), sizes=SIZES)
    assert "already holds" in refused.value.stderr
    assert Customer.objects.count() == SIZES["customers"]
