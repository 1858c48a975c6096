"""Products domain: the public interface.

Purpose: the catalogue of products and services (CRUD, search, activate/deactivate).
Owns: schema ``products``: tables ``product`` and ``product_history`` (the audit trail: who
created, changed, deactivated, reactivated or deleted which product, when, from which IP).
Publishes (``crm.hooks``):

* guard ``product.hard_delete`` (``HARD_DELETE_GUARD``) is checked, with the product ids,
  before products are removed for good; a guard returning a reason refuses the delete (409).
  The ledger stores ``cd_product`` as a plain UUID and keeps history, so it may refuse to let a
  product it references disappear.
* event ``product.hard_deleted`` (``HARD_DELETED_EVENT``, ids) after that delete committed.

Soft deletes (``is_active = false``) publish nothing: the row and its id stay.
Calls: accounts (``user_names``: who acted, for the audit trail).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from . import selectors
from .errors import ProductNameTaken, ProductNotFound

__all__ = [
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "ProductNameTaken",
    "ProductNotFound",
    "ProductSummary",
    "product_get_summary",
    "product_summaries",
]

#: crm.hooks topic checked before a hard delete (guards get the product ids).
HARD_DELETE_GUARD = "product.hard_delete"
#: crm.hooks topic published after a hard delete committed.
HARD_DELETED_EVENT = "product.hard_deleted"


@dataclass(frozen=True)
class ProductSummary:
    cd_product: UUID
    ds_product_name: str
    vr_price: Decimal
    id_product_type: str
    is_active: bool


def product_get_summary(*, product_id: UUID) -> ProductSummary:
    """The product, active or not. Raises ``ProductNotFound``."""
    summary = product_summaries(product_ids=[product_id]).get(product_id)
    if summary is None:
        raise ProductNotFound()
    return summary


def product_summaries(*, product_ids: Iterable[UUID]) -> dict[UUID, ProductSummary]:
    """Many products in one call; unknown ids are left out."""
    return {
        row["cd_product"]: ProductSummary(**row)
        for row in selectors.product_summary_rows(product_ids=product_ids)
    }
