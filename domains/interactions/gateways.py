"""The only module of interactions that imports other domains (their interfaces).

At split time this file becomes the HTTP client of the other services; nothing else changes.
The timeline and the ledger both call through here.
"""

from __future__ import annotations

from domains.accounts.interface import user_names
from domains.customers.interface import CHANGE_PAGE_PANELS, customer_get_summary, customer_summaries
from domains.customers.interface import HARD_DELETE_GUARD as CUSTOMER_HARD_DELETE_GUARD
from domains.customers.interface import HARD_DELETED_EVENT as CUSTOMER_HARD_DELETED_EVENT
from domains.products.interface import HARD_DELETE_GUARD as PRODUCT_HARD_DELETE_GUARD
from domains.products.interface import ProductNotFound, product_get_summary

__all__ = [
    "CHANGE_PAGE_PANELS",
    "CUSTOMER_HARD_DELETED_EVENT",
    "CUSTOMER_HARD_DELETE_GUARD",
    "PRODUCT_HARD_DELETE_GUARD",
    "ProductNotFound",
    "customer_get_summary",
    "customer_summaries",
    "product_get_summary",
    "user_names",
]
