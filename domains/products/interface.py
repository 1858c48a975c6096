"""Products domain: the public interface.

Purpose: the catalogue of products and services.
Owns: schema ``products``: table ``product``.
Publishes: no events. Calls: no other domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from crm.api.exceptions import NotFound

from . import selectors

__all__ = ["ProductNotFound", "ProductSummary", "product_get_summary", "product_summaries"]


class ProductNotFound(NotFound):
    default_message = "Produto não encontrado."


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
