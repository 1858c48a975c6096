"""Real seed-shaped PostgreSQL databases (unique names, dropped afterwards).

The seed's databases are PostgreSQL whatever ours is, so these tests run on both of our
backends (the import writes into SQLite or PostgreSQL alike); they need a PostgreSQL server to
hold the seed's databases (``needs("postgres")``, see ``tests/services.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.platform.sandbox import ScratchDatabase

from . import seed_databases

#: Fixtures holding seed databases: a test using one needs the PostgreSQL server.
NEED_POSTGRES = {"postgres_server", "microservices", "monolith"}


def pytest_collection_modifyitems(items):
    for item in items:
        if NEED_POSTGRES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.needs("postgres"))


@dataclass
class Microservices:
    auth: ScratchDatabase
    customer: ScratchDatabase
    product: ScratchDatabase
    interaction: ScratchDatabase
    data: seed_databases.SeedData

    def args(self, *, with_interaction_db: bool = True) -> list[str]:
        args = [
            "--auth-db", self.auth.url,
            "--customer-db", self.customer.url,
            "--product-db", self.product.url,
        ]  # fmt: skip
        if with_interaction_db:
            args += ["--interaction-db", self.interaction.url]
        return args


@dataclass
class Monolith:
    database: ScratchDatabase
    data: seed_databases.SeedData

    def args(self) -> list[str]:
        return ["--monolith-db", self.database.url]


@pytest.fixture(scope="module")
def postgres_server():
    """The seed's databases live on the machine's PostgreSQL server (``needs("postgres")``)."""


@pytest.fixture(scope="module")
def microservices(postgres_server):
    """The four databases of the seed's microservices version, read-only for the tests."""
    data = seed_databases.make_data()
    with (
        ScratchDatabase("seed_auth") as auth,
        ScratchDatabase("seed_customer") as customer,
        ScratchDatabase("seed_product") as product,
        ScratchDatabase("seed_interaction") as interaction,
    ):
        with auth.connect() as connection:
            seed_databases.fill_users(connection, data, monolith=False)
        with customer.connect() as connection:
            seed_databases.fill_customers(connection, data)
        with product.connect() as connection:
            seed_databases.fill_products(connection, data)
        with interaction.connect() as connection:
            connection.execute(seed_databases.INTERACTION_SERVICE_DDL)
        yield Microservices(auth, customer, product, interaction, data)


@pytest.fixture(scope="module")
def monolith(postgres_server):
    """The seed's original monolith: one database, real foreign keys."""
    data = seed_databases.make_data()
    with ScratchDatabase("seed_monolith") as database:
        with database.connect() as connection:
            seed_databases.fill_users(connection, data, monolith=True)
            seed_databases.fill_customers(connection, data)
            seed_databases.fill_products(connection, data)
            seed_databases.fill_history(connection, data)
        yield Monolith(database, data)
