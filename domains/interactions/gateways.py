"""The only module of interactions that imports other domains (their interfaces).

At split time this file becomes the HTTP client of the other services; nothing else changes.
"""

from __future__ import annotations

from domains.accounts.interface import user_names
from domains.customers.interface import (
    CHANGE_PAGE_PANELS,
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
    "CHANGE_PAGE_PANELS",
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


# === Ledger (owned by the "ledger" module) ======================================================
# The products domain's guard topic: the ledger refuses the hard delete of a product its entries
# reference (``ledger_services.register_hooks``).
from domains.products.interface import HARD_DELETE_GUARD as PRODUCT_HARD_DELETE_GUARD

__all__ += ["PRODUCT_HARD_DELETE_GUARD"]
