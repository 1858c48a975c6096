"""Against ``make split``: each domain's rows live only in its own database, and a hard delete
in one process cleans up another process's rows through the broker.

What the seed's client did through the edge is looked up directly in the four databases
(``crm_accounts``, ``crm_customers``, ``crm_products``, ``crm_interactions``), by the columns
the data dictionary names, in every table of every schema: a copy of a row anywhere else would
show up.
"""

from __future__ import annotations

import httpx

from .client import expect
from .conftest import Account
from .split import only_against_split, rows_holding, wait_until

pytestmark = only_against_split


def total(found: dict, domain: str) -> int:
    return sum(found[domain].values())


def elsewhere(found: dict, domain: str) -> dict:
    """Tables outside ``domain``'s database that hold any of the rows, or merely exist."""
    return {other: tables for other, tables in found.items() if other != domain and tables}


def test_each_row_is_stored_only_in_its_own_domain_database(
    api: httpx.Client, manager: Account, make_customer, make_product
):
    customer_id = make_customer()["cd_customer"]
    product_id = make_product()["cd_product"]
    interaction_id = expect(
        api.post(
            f"/api/customers/{customer_id}/interactions",
            json={"ds_notes": "Visita ao cliente", "id_interaction_type": "reuniao"},
        ),
        201,
    )["interaction"]["cd_interaction"]
    transaction_id = expect(
        api.post(
            f"/api/customers/{customer_id}/transactions",
            json={"vr_transaction": "42.00", "id_transaction_type": 1, "cd_product": product_id},
        ),
        201,
    )["transaction"]["cd_transaction"]

    customers = rows_holding("cd_customer", [customer_id], table_with="ds_customer_name")
    interactions = rows_holding("cd_interaction", [interaction_id], table_with="ds_notes")
    transactions = rows_holding("cd_transaction", [transaction_id], table_with="vr_transaction")
    products = rows_holding("cd_product", [product_id], table_with="ds_product_name")
    users = rows_holding("cd_user", [manager.cd_user], table_with="ds_user_email")

    for found, domain in (
        (customers, "customers"),
        (interactions, "interactions"),
        (transactions, "interactions"),
        (products, "products"),
    ):
        assert total(found, domain) == 1, (domain, found)
        # No other database even has a table for that kind of row (only each process's own
        # domains are migrated into its database).
        assert elsewhere(found, domain) == {}, (domain, found)
    # Users: only in crm_accounts (whatever the other processes need for authentication, they
    # never copy a user's row).
    assert total(users, "accounts") == 1, users
    assert all(total(users, other) == 0 for other in users if other != "accounts"), users
    # The interactions database refers to the customer by id only.
    referring = rows_holding("cd_customer", [customer_id])
    assert total(referring, "interactions") >= 2  # the interaction and the ledger entry
    assert total(referring, "accounts") == total(referring, "products") == 0


def test_a_hard_delete_in_the_customers_process_cleans_up_the_interactions_process(
    api: httpx.Client, make_customer
):
    customer_id = make_customer()["cd_customer"]
    interaction_ids = [
        expect(
            api.post(
                f"/api/customers/{customer_id}/interactions",
                json={"ds_notes": f"Contato número {n}", "id_interaction_type": "contato"},
            ),
            201,
        )["interaction"]["cd_interaction"]
        for n in range(3)
    ]
    assert (
        total(
            rows_holding("cd_interaction", interaction_ids, table_with="ds_notes"), "interactions"
        )
        == 3
    )

    expect(api.delete(f"/api/customers/{customer_id}", params={"hard_delete": "true"}), 200)

    assert (
        total(
            rows_holding("cd_customer", [customer_id], table_with="ds_customer_name"), "customers"
        )
        == 0
    )
    wait_until(
        lambda: (
            total(
                rows_holding("cd_interaction", interaction_ids, table_with="ds_notes"),
                "interactions",
            )
            == 0
        ),
        timeout=60,
        what="the interactions of a hard-deleted customer removed from crm_interactions",
    )
