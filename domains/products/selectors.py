from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from .models import Product


def product_summary_rows(*, product_ids: Iterable[UUID]) -> list[dict]:
    ids = set(product_ids)
    if not ids:
        return []
    return list(
        Product.objects.filter(cd_product__in=ids).values(
            "cd_product", "ds_product_name", "vr_price", "id_product_type", "is_active"
        )
    )
