from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from .models import Customer


def customer_summary_rows(*, customer_ids: Iterable[UUID]) -> list[tuple[UUID, str, bool]]:
    ids = set(customer_ids)
    if not ids:
        return []
    return list(
        Customer.objects.filter(cd_customer__in=ids).values_list(
            "cd_customer", "ds_customer_name", "is_customer_active"
        )
    )
