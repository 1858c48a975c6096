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

Served by another process (``CRM_DOMAINS``): the functions in ``INTERNAL_API`` are called at
``POST /internal/products/<function>`` (``crm.remote`` derives the endpoints and the client from
their signatures); errors cross as the same classes. Dataclasses live in ``records.py``
and the implementation is imported per call, so this module imports without the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from crm.bulk_import import ImportOutcome

from .errors import ProductNameTaken, ProductNotFound
from .records import ProductDemoRows, SeedProduct

# The implementation is imported inside each function: a process that does not serve this
# domain still imports this module (its names, dataclasses and errors) for ``crm.remote``.

#: What other processes may call over HTTP (``crm.remote``: ``POST /internal/products/<name>``,
#: built from these functions' signatures); each is a read or idempotent, batch-first.
INTERNAL_API = ("product_summaries", "product_get_summary")

__all__ = [
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "INTERNAL_API",
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
    from . import selectors

    return {
        row["cd_product"]: ProductSummary(**row)
        for row in selectors.product_summary_rows(product_ids=product_ids)
    }


def products_import(*, rows: Iterable[SeedProduct], dry_run: bool = False) -> ImportOutcome:
    """Bring the seed's products over with their UUIDs, checked by the API's own rules; rows
    already present are left alone, rows breaking a rule are refused in the outcome. All or
    nothing; ``dry_run`` writes nothing."""
    from . import seed_import

    return seed_import.products_import(rows=rows, dry_run=dry_run)


# --- Demo data (``manage.py seed_demo``) -------------------------------------------------------


def product_demo_load(*, seed: int, count: int, end_date: dt.date) -> Iterator[ProductDemoRows]:
    """Insert ``count`` demo products, valid under every product rule (names unique), and
    stream back what each chunk added. One database transaction for the whole load (as
    ``customers.interface.customer_demo_load``). Deterministic by ``seed`` and ``end_date``."""
    from . import demo

    yield from demo.product_demo_load(seed=seed, count=count, end_date=end_date)


def product_demo_counts() -> dict[str, int]:
    """Rows in the tables a demo load fills (``{"product": N}``)."""
    from . import demo

    return demo.product_demo_counts()


def product_demo_clear() -> None:
    """Empty the product table (``seed_demo --force``). Irreversible."""
    from . import demo

    demo.product_demo_clear()
