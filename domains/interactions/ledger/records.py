"""Plain data of this package's interface (frozen dataclasses), importable without its models:
a process that does not serve the domain still imports the interface (``crm.remote``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class SeedTransaction:
    """A ledger entry as the seed monolith stored it (type ``ENTRADA``/``SAIDA``; the amount
    signed as the seed wrote it; creation time aware, UTC)."""

    cd_transaction: UUID
    cd_customer: UUID
    cd_user: UUID
    vr_transaction: Decimal | None
    id_transaction_type: str | None
    dt_transaction: dt.date
    dt_created_at: dt.datetime


@dataclass(frozen=True)
class LedgerTotals:
    """Exact totals of some entries (a customer's balance, a month, a period)."""

    vr_total_entradas: Decimal
    vr_total_saidas: Decimal
    vr_saldo: Decimal
    qt_transactions: int
