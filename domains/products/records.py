"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class SeedProduct:
    """A product as the seed stored it (``id_product_type`` the enum's label; timestamps
    aware, UTC)."""

    cd_product: UUID
    ds_product_name: str | None
    ds_product_description: str | None
    vr_price: Decimal | None
    id_product_type: str | None
    is_active: bool
    dt_created_at: dt.datetime
    dt_updated_at: dt.datetime | None


@dataclass(frozen=True)
class ProductDemoRows:
    cd_products: tuple[UUID, ...]
    vr_prices: tuple[Decimal, ...]
    is_active: tuple[bool, ...]
