"""The only module of interactions that imports other domains (their interfaces).

At split time this file becomes the HTTP client of the other services; nothing else changes.
"""

from __future__ import annotations

from domains.accounts.interface import user_names
from domains.customers.interface import (
    HARD_DELETE_GUARD,
    HARD_DELETED_EVENT,
    CustomerNotFound,
    CustomerSummary,
    customer_get_summary,
    customer_summaries,
)
from domains.products.interface import (
    ProductNotFound,
    ProductSummary,
    product_get_summary,
    product_summaries,
)

__all__ = [
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "CustomerNotFound",
    "CustomerSummary",
    "ProductNotFound",
    "ProductSummary",
    "customer_get_summary",
    "customer_summaries",
    "product_get_summary",
    "product_summaries",
    "user_names",
]
