"""Side-by-side figures for the pages whose cost must not grow with their size.

Run: ``make bench`` (SQLite, in memory) or ``DATABASE_URL=postgres://... make bench`` (a
throw-away ``test_`` database with the four schemas). Prints, for each page, the queries and the
median time at a small and a large size, and their ratio: the query ratio must be 1.0 (no query
per row); the time ratio shows what the extra rows cost. Figures, not assertions: the
constant-query guarantees themselves are asserted by the test suite.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from domains.accounts.services import token_pair_issue  # noqa: E402

REPEAT = 15


def measure(client: Client, url: str, **headers) -> tuple[int, float]:
    contexts = [CaptureQueriesContext(connections[alias]) for alias in settings.DATABASES]
    for context in contexts:
        context.__enter__()
    response = client.get(url, **headers)
    for context in contexts:
        context.__exit__(None, None, None)
    assert response.status_code == 200, (url, response.status_code, response.content[:200])
    queries = sum(len(context) for context in contexts)
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append(time.perf_counter() - started)
    return queries, statistics.median(timings) * 1000


def seed(rows: int):
    from domains.accounts.models import User
    from domains.customers.models import Customer
    from domains.interactions.models import Interaction, Transaction
    from domains.products.models import Product

    staff = User.objects.create_superuser(
        ds_user_email="bench@example.com", password="bench-Password-1", ds_user="Bench"
    )
    authors = [
        User.objects.create_user(
            ds_user_email=f"author{i}@example.com", password="x-Password-1", ds_user=f"Autor {i}"
        )
        for i in range(rows)
    ]
    customers = Customer.objects.bulk_create(
        Customer(ds_customer_name=f"Cliente {i:04d}") for i in range(rows)
    )
    Product.objects.bulk_create(
        Product(ds_product_name=f"Produto {i:04d}", vr_price=Decimal("10.00")) for i in range(rows)
    )
    main = customers[0]
    Interaction.objects.bulk_create(
        Interaction(
            cd_customer=customers[i].cd_customer if i % 2 else main.cd_customer,
            cd_user=authors[i].cd_user,
            ds_notes=f"Interação número {i}",
            id_interaction_type="ligacao",
        )
        for i in range(rows)
    )
    Transaction.objects.bulk_create(
        Transaction(
            cd_customer=main.cd_customer,
            cd_user=authors[i].cd_user,
            vr_transaction=Decimal("0.10"),
            id_transaction_type=1 + i % 2,
        )
        for i in range(rows)
    )
    return staff, main


def main() -> None:
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False, aliases=set(settings.DATABASES))
    try:
        staff, customer = seed(200)
        api = Client(HTTP_HOST="localhost")
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_pair_issue(user=staff).access_token}"}
        admin = Client(HTTP_HOST="localhost")
        admin.force_login(staff)
        cid = customer.cd_customer
        pages = [
            ("GET /api/customers", api, "/api/customers?active_only=false&per_page={n}", bearer),
            ("GET /api/products", api, "/api/products?per_page={n}", bearer),
            (
                "GET .../interactions",
                api,
                f"/api/customers/{cid}/interactions?per_page={{n}}",
                bearer,
            ),
            (
                "GET .../transactions",
                api,
                f"/api/customers/{cid}/transactions?per_page={{n}}",
                bearer,
            ),
            ("admin interactions", admin, "/admin/interactions/interaction/?_n={n}", {}),
            ("admin transactions", admin, "/admin/interactions/transaction/?_n={n}", {}),
        ]
        vendor = connections["default"].vendor
        print(f"database: {vendor}; median of {REPEAT} requests; sizes 5 vs 100 rows per page\n")
        columns = ("q@5", "q@100", "q ratio", "ms@5", "ms@100", "t ratio")
        header = f"{'page':24} " + " ".join(f"{column:>8}" for column in columns)
        print(header)
        print("-" * len(header))
        for name, client, template, headers in pages:
            if template.startswith("/admin/"):
                small = measure_admin(client, template, 5)
                large = measure_admin(client, template, 100)
            else:
                small = measure(client, template.format(n=5), **headers)
                large = measure(client, template.format(n=100), **headers)
            print(
                f"{name:24} {small[0]:>8} {large[0]:>8} {large[0] / small[0]:>8.2f} "
                f"{small[1]:>8.1f} {large[1]:>8.1f} {large[1] / small[1]:>8.2f}"
            )
    finally:
        teardown_databases(old, verbosity=0)


def measure_admin(client: Client, template: str, size: int) -> tuple[int, float]:
    # The admin pages by ModelAdmin.list_per_page; set it for the measurement.
    from django.contrib import admin as django_admin

    from domains.interactions.models import Interaction, Transaction

    for model in (Interaction, Transaction):
        django_admin.site._registry[model].list_per_page = size
    return measure(client, template.split("?")[0])


if __name__ == "__main__":
    main()
