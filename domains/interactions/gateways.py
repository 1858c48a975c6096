"""The only module of interactions that imports other domains (their interfaces).

``crm.remote.gateway`` gives the interface module itself when this process serves that domain,
or its HTTP client (same names, same signatures) when another process does (``CRM_DOMAINS``);
nothing else in interactions knows which. The timeline and the ledger both call through here.
"""

from __future__ import annotations

from crm import remote
from domains.accounts import interface as accounts_interface
from domains.customers import interface as customers_interface
from domains.products import interface as products_interface

accounts = remote.gateway("accounts", accounts_interface)
customers = remote.gateway("customers", customers_interface)
products = remote.gateway("products", products_interface)

user_names = accounts.user_names
customer_get_summary = customers.customer_get_summary
customer_summaries = customers.customer_summaries
product_get_summary = products.product_get_summary
ProductNotFound = products.ProductNotFound
CHANGE_PAGE_PANELS = customers.CHANGE_PAGE_PANELS
CUSTOMER_HARD_DELETE_GUARD = customers.HARD_DELETE_GUARD
CUSTOMER_HARD_DELETED_EVENT = customers.HARD_DELETED_EVENT
PRODUCT_HARD_DELETE_GUARD = products.HARD_DELETE_GUARD

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
