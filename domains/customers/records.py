"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class SeedCustomer:
    """A customer as the seed stored it (text as sent; timestamps aware, UTC)."""

    cd_customer: UUID
    ds_customer_name: str | None
    ds_customer_email: str | None
    ds_customer_phone: str | None
    ds_customer_cpf_cnpj: str | None
    ds_customer_address: str | None
    ds_customer_city: str | None
    ds_customer_state: str | None
    ds_customer_zip_code: str | None
    ds_customer_country: str | None
    dt_customer_created_at: dt.datetime
    dt_customer_updated_at: dt.datetime | None
    is_customer_active: bool


@dataclass(frozen=True)
class CustomerDemoRows:
    cd_customers: tuple[UUID, ...]
    created_at: tuple[dt.datetime, ...]
