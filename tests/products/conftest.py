from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from domains.products import services
from domains.products.models import Product

PRODUCTS_URL = "/api/products"


def product_url(product_id, suffix: str = "") -> str:
    return f"{PRODUCTS_URL}/{product_id}{suffix}"


@pytest.fixture
def make_product():
    """Create a product through the domain's service (the same rules as the API)."""

    def make(
        name: str = "Consultoria",
        price: str = "100.00",
        product_type: str = "produto",
        description: str | None = None,
        is_active: bool = True,
    ) -> Product:
        return services.product_create(
            ds_product_name=name,
            vr_price=Decimal(price),
            id_product_type=product_type,
            ds_product_description=description,
            is_active=is_active,
        )

    return make


@pytest.fixture
def products_queries():
    """Capture the queries run on the products alias."""

    def capture():
        return CaptureQueriesContext(connections["products"])

    return capture
