"""The API's route table (every path x method) and real rows to aim the routes at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps


@dataclass(frozen=True)
class Route:
    template: str  # placeholders: {customer} {product} {interaction} {transaction} {user}
    methods: tuple[str, ...]
    public: bool = False
    download: bool = False  # answers a file (CSV/XLSX), not a JSON or browsable page

    def path(self, ids: dict[str, str]) -> str:
        return self.template.format(**ids)


#: Every API route, seed rows first. ``test_route_table_covers_every_api_url`` keeps it complete.
ROUTES = [
    Route("/auth/register", ("POST",), public=True),
    Route("/auth/login", ("POST",), public=True),
    Route("/auth/refresh", ("POST",), public=True),
    Route("/auth/logout", ("POST",), public=True),
    Route("/auth/me", ("GET",)),
    Route("/api/customers", ("GET", "POST")),
    Route("/api/customers/export", ("GET",), download=True),
    Route("/api/customers/{customer}", ("GET", "PUT", "PATCH", "DELETE")),
    Route("/api/customers/{customer}/activate", ("PATCH",)),
    Route("/api/customers/{customer}/history", ("GET",)),
    Route("/api/products", ("GET", "POST")),
    Route("/api/products/export", ("GET",), download=True),
    Route("/api/products/{product}", ("GET", "PUT", "PATCH", "DELETE")),
    Route("/api/products/{product}/activate", ("PATCH",)),
    Route("/api/products/{product}/history", ("GET",)),
    Route("/api/customers/{customer}/interactions", ("GET", "POST")),
    Route("/api/customers/{customer}/interactions/{interaction}", ("GET",)),
    Route("/api/customers/{customer}/transactions", ("GET", "POST")),
    Route("/api/customers/{customer}/transactions/{transaction}", ("GET",)),
    Route("/api/customers/{customer}/transactions/{transaction}/reverse", ("POST",)),
    Route("/api/customers/{customer}/balance", ("GET",)),
    Route("/api/transactions/summary", ("GET",)),
    Route("/api/transactions/export", ("GET",), download=True),
    Route("/api/users", ("GET",)),
    Route("/api/users/{user}", ("GET", "PATCH")),
]

#: The seed README's paths (its tables), as the OpenAPI document must list them.
SEED_PATHS = {
    "/auth/register",
    "/auth/login",
    "/api/customers",
    "/api/customers/{}",
    "/api/customers/{}/activate",
    "/api/products",
    "/api/products/{}",
    "/api/customers/{}/interactions",
}

WRITE_METHODS = {"POST", "PUT", "PATCH"}


def route_cases(
    *, protected_only: bool = False, methods: set[str] | None = None, pages_only: bool = False
) -> list:
    """``pytest.param(route, method)`` for every route and method, optionally filtered
    (``pages_only``: leave out downloads, which answer a file rather than a page)."""
    return [
        pytest.param(route, method, id=f"{method} {route.template}")
        for route in ROUTES
        for method in route.methods
        if not (protected_only and route.public)
        and (methods is None or method in methods)
        and not (pages_only and route.download)
    ]


def both_slashes(path: str) -> list[str]:
    return [path.rstrip("/"), path.rstrip("/") + "/"]


@pytest.fixture
def unknown_ids() -> dict[str, str]:
    """Well-formed UUIDs that name nothing."""
    return {
        name: str(uuid.uuid4())
        for name in ("customer", "product", "interaction", "transaction", "user")
    }


@pytest.fixture
def user(user):
    """The contract is about every route, so its caller is an admin: every route answers it
    (which role may call what: test_roles_table.py)."""
    from tests.conftest import with_role

    return with_role(user, "admin")


@pytest.fixture
def existing_ids(user) -> dict[str, str]:
    """One real row per domain (created straight in each domain's table: the contract tests
    aim requests at them, they do not test the creation)."""
    customer = apps.get_model("customers", "Customer").objects.create(
        ds_customer_name="Cliente Contrato", ds_customer_email="contrato@example.com"
    )
    product = apps.get_model("products", "Product").objects.create(
        ds_product_name="Produto Contrato", vr_price=Decimal("10.00")
    )
    interaction = apps.get_model("interactions", "Interaction").objects.create(
        cd_customer=customer.pk,
        cd_user=user.pk,
        ds_notes="Primeiro contato",
        id_interaction_type="email",
    )
    transaction = apps.get_model("interactions", "Transaction").objects.create(
        cd_customer=customer.pk,
        cd_user=user.pk,
        vr_transaction=Decimal("25.50"),
        id_transaction_type=1,
    )
    return {
        "customer": str(customer.pk),
        "product": str(product.pk),
        "interaction": str(interaction.pk),
        "transaction": str(transaction.pk),
        "user": str(user.pk),
    }
