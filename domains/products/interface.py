"""Products domain: the public interface.

Purpose: the catalogue of products and services (CRUD, search, activate/deactivate).
Owns: schema ``products``: tables ``product``, ``product_outbox`` (the events it published,
kept until delivered: ``crm.events``) and ``product_history`` (the audit trail: who
created, changed, deactivated, reactivated or deleted which product, when, from which IP).
Publishes (``crm.hooks``):

* guard ``product.hard_delete`` (``HARD_DELETE_GUARD``) is checked, with the product ids,
  before products are removed for good; a guard returning a reason refuses the delete (409).
  The ledger stores ``cd_product`` as a plain UUID and keeps history, so it may refuse to let a
  product it references disappear.
* event ``product.hard_deleted`` (``HARD_DELETED_EVENT``, ids) after that delete committed;
  durable: written to ``product_outbox`` in the delete's transaction, delivered at least once
  (``crm.events``). No domain subscribes to it today.

Soft deletes (``is_active = false``) publish nothing: the row and its id stay.
Calls: accounts (``user_names``: who acted, for the audit trail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from crm.bulk_import import ImportOutcome

from . import demo, seed_import, selectors
from .errors import ProductNameTaken, ProductNotFound
from .seed_import import SeedProduct

__all__ = [
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "ImportOutcome",
    "ProductDemoRows",
    "ProductNameTaken",
    "ProductNotFound",
    "ProductSummary",
    "SeedProduct",
    "product_demo_clear",
    "product_demo_counts",
    "product_demo_load",
    "product_get_summary",
    "product_summaries",
    "products_import",
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


def products_import(*, rows: Iterable[SeedProduct], dry_run: bool = False) -> ImportOutcome:
    """Bring the seed's products over with their UUIDs, checked by the API's own rules; rows
    already present are left alone, rows breaking a rule are refused in the outcome. All or
    nothing; ``dry_run`` writes nothing."""
    return seed_import.products_import(rows=rows, dry_run=dry_run)


# --- Demo data (``manage.py seed_demo``) -------------------------------------------------------

#: What a demo load returns: ids, prices and active flags of the new products, row for row
#: (the ledger prices its demo sales from them).
ProductDemoRows = demo.ProductDemoRows


def product_demo_load(*, seed: int, count: int, end_date: dt.date) -> Iterator[ProductDemoRows]:
    """Insert ``count`` demo products, valid under every product rule (names unique), and
    stream back what each chunk added. One database transaction for the whole load (as
    ``customers.interface.customer_demo_load``). Deterministic by ``seed`` and ``end_date``."""
    yield from demo.product_demo_load(seed=seed, count=count, end_date=end_date)


def product_demo_counts() -> dict[str, int]:
    """Rows in the tables a demo load fills (``{"product": N}``)."""
    return demo.product_demo_counts()


def product_demo_clear() -> None:
    """Empty the product table (``seed_demo --force``). Irreversible."""
    demo.product_demo_clear()
