"""Interactions domain: the public interface.

Purpose: the timeline of customer interactions (sub-package ``timeline``) and the customer money
ledger (sub-package ``ledger``), independent of each other.
Owns: schema ``interactions``: tables ``interaction`` (timeline), ``transaction`` and
``idempotency_key`` (ledger).
Consumes (``crm.hooks``, registered in ``apps.py``): guards ``customer.hard_delete`` and
``product.hard_delete`` (the ledger refuses while entries name the customer or the product) and
event ``customer.hard_deleted`` (the timeline removes the customer's interactions). Contributes
the panel "Interações e saldo" to the customer change page (topic ``customer.change_page``).
Calls: customers (existence), products (existence/active), accounts (user names), only
through ``gateways.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from . import gateways
from .ledger import selectors as ledger
from .ledger.selectors import LedgerTotals
from .timeline import selectors as timeline

__all__ = [
    "CustomerActivity",
    "CustomerBalance",
    "InteractionEntry",
    "customer_activity",
    "customer_balance",
]

#: Exact totals of a customer's ledger entries (``vr_total_entradas``, ``vr_total_saidas``,
#: ``vr_saldo``: ``Decimal`` with 2 places; ``qt_transactions``): the ledger's own class.
CustomerBalance = LedgerTotals


@dataclass(frozen=True)
class InteractionEntry:
    cd_interaction: UUID
    cd_user: UUID
    ds_user: str | None  # the author's name; None when accounts no longer knows the user
    ds_notes: str
    id_interaction_type: str
    dt_interaction: dt.datetime


@dataclass(frozen=True)
class CustomerActivity:
    cd_customer: UUID
    interactions: tuple[InteractionEntry, ...]  # newest first
    balance: CustomerBalance


def customer_balance(*, customer_id: UUID) -> CustomerBalance:
    """Exact totals of the customer's ledger entries (one aggregate query, in the database).

    Amounts are ``Decimal`` with 2 places (``Decimal("0.00")`` when there is no entry). Does not
    check that the customer exists: an unknown id has a zero balance.
    """
    return ledger.customer_balance(customer_id=customer_id)


def customer_activity(*, customer_id: UUID, limit: int = 10) -> CustomerActivity:
    """The customer's latest ``limit`` interactions (with author names) and ledger balance.

    Does not check that the customer exists (the caller usually is the customers domain):
    an unknown id gets an empty timeline and a zero balance. Three queries whatever ``limit``.
    """
    latest = timeline.interaction_latest(customer_id=customer_id, limit=limit)
    names = gateways.user_names(user_ids={row.cd_user for row in latest})
    return CustomerActivity(
        cd_customer=customer_id,
        interactions=tuple(
            InteractionEntry(
                cd_interaction=row.cd_interaction,
                cd_user=row.cd_user,
                ds_user=names.get(row.cd_user),
                ds_notes=row.ds_notes,
                id_interaction_type=row.id_interaction_type,
                dt_interaction=row.dt_interaction,
            )
            for row in latest
        ),
        balance=customer_balance(customer_id=customer_id),
    )
