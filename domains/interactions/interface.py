"""Interactions domain: the public interface.

Purpose: the timeline of customer interactions and the customer money ledger (transactions).
Owns: schema ``interactions``: tables ``interaction`` and ``transaction``.
Consumes (``crm.hooks``, registered in ``apps.py``): guard ``customer.hard_delete`` (refuses
when the customer has ledger entries) and event ``customer.hard_deleted`` (removes the
customer's interactions). Contributes the panel "Interações e saldo" to the customer change
page (topic ``customer.change_page``).
Calls: customers (existence), products (existence/active), accounts (user names), only
through ``gateways.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from . import gateways, selectors

__all__ = [
    "CustomerActivity",
    "CustomerBalance",
    "InteractionEntry",
    "customer_activity",
]


# --- Timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionEntry:
    cd_interaction: UUID
    cd_user: UUID
    ds_user: str | None  # the author's name; None when accounts no longer knows the user
    ds_notes: str
    id_interaction_type: str
    dt_interaction: dt.datetime


@dataclass(frozen=True)
class CustomerBalance:
    vr_total_entradas: Decimal
    vr_total_saidas: Decimal
    vr_saldo: Decimal
    qt_transactions: int


@dataclass(frozen=True)
class CustomerActivity:
    cd_customer: UUID
    interactions: tuple[InteractionEntry, ...]  # newest first
    balance: CustomerBalance


def customer_activity(*, customer_id: UUID, limit: int = 10) -> CustomerActivity:
    """The customer's latest ``limit`` interactions (with author names) and ledger balance.

    Does not check that the customer exists (the caller usually is the customers domain):
    an unknown id gets an empty timeline and a zero balance. Three queries whatever ``limit``.
    """
    latest = selectors.interaction_latest(customer_id=customer_id, limit=limit)
    names = gateways.user_names(user_ids={row.cd_user for row in latest})
    # The ledger owns balances: its exact, cents-based aggregate (defined below).
    balance = customer_balance(customer_id=customer_id)
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
        balance=balance,
    )


# === Ledger (owned by the "ledger" module; appended below) =======================================


def customer_balance(*, customer_id: UUID) -> CustomerBalance:
    """Exact totals of the customer's ledger entries (one aggregate query, in the database).

    Amounts are ``Decimal`` with 2 places (``Decimal("0.00")`` when there is no entry). Does not
    check that the customer exists: an unknown id has a zero balance.
    """
    from . import ledger_selectors  # imported here: the import block above is the timeline's

    totals = ledger_selectors.customer_balance(customer_id=customer_id)
    return CustomerBalance(
        vr_total_entradas=totals.vr_total_entradas,
        vr_total_saidas=totals.vr_total_saidas,
        vr_saldo=totals.vr_saldo,
        qt_transactions=totals.qt_transactions,
    )


__all__ += ["customer_balance"]


# === Seed import (import_seed; self-contained in ``seed_import``) ================================
from crm.bulk_import import ImportOutcome  # noqa: E402

from . import seed_import  # noqa: E402
from .seed_import import HistoryImportOutcome, SeedInteraction, SeedTransaction  # noqa: E402


def history_import(
    *,
    interactions: Iterable[SeedInteraction],
    transactions: Iterable[SeedTransaction],
    customers_known: frozenset[UUID] = frozenset(),
    dry_run: bool = False,
) -> HistoryImportOutcome:
    """Bring the seed monolith's interactions and ledger entries over with their UUIDs: enum
    labels mapped, a negative saída stored as a positive type 2 entry; rows of a missing
    customer (asked through the customers interface, or listed in ``customers_known``) and
    rows breaking the API's rules are refused in the outcome. All or nothing for the domain;
    ``dry_run`` writes nothing."""
    return seed_import.history_import(
        interactions=interactions,
        transactions=transactions,
        customers_known=customers_known,
        dry_run=dry_run,
    )


__all__ += [
    "HistoryImportOutcome",
    "ImportOutcome",
    "SeedInteraction",
    "SeedTransaction",
    "history_import",
]
