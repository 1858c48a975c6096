"""Interactions domain: the public interface.

Purpose: the timeline of customer interactions (sub-package ``timeline``) and the customer money
ledger (sub-package ``ledger``), independent of each other.
Owns: schema ``interactions``: tables ``interaction`` (timeline), ``transaction`` and
``idempotency_key`` (ledger), ``interactions_event_inbox`` (the events it has processed).
Consumes (``crm.hooks``, registered in ``apps.py``): guards ``customer.hard_delete`` and
``product.hard_delete`` (the ledger refuses while entries name the customer or the product) and
event ``customer.hard_deleted`` (the timeline removes the customer's interactions; once per
event, its inbox row committed with the deletion, however often the event is delivered; in a
split it comes from the queue ``crm.events.interactions``, read by ``manage.py
events_consume``). Contributes the panel "Interações e saldo" to the customer change page
(topic ``customer.change_page``).
Calls: customers (existence), products (existence/active), accounts (user names), only
through ``gateways.py``.

Served by another process (``CRM_DOMAINS``): the functions in ``INTERNAL_API`` are called at
``POST /internal/interactions/<function>`` (``crm.remote`` derives the endpoints and the client from
their signatures); errors cross as the same classes. Dataclasses live in ``records.py``
and the implementation is imported per call, so this module imports without the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from crm.bulk_import import ImportOutcome

from .ledger.records import LedgerTotals, SeedTransaction
from .records import HistoryImportOutcome
from .timeline.records import SeedInteraction

# The implementation is imported inside each function: a process that does not serve this
# domain still imports this module (its names, dataclasses and errors) for ``crm.remote``.

#: What other processes may call over HTTP (``crm.remote``: ``POST /internal/interactions/<name>``,
#: built from these functions' signatures); each is a read or idempotent, batch-first.
INTERNAL_API = ("customer_balance", "customer_activity")

__all__ = [
    "INTERNAL_API",
    "CustomerActivity",
    "CustomerBalance",
    "HistoryImportOutcome",
    "ImportOutcome",
    "InteractionEntry",
    "SeedInteraction",
    "SeedTransaction",
    "customer_activity",
    "customer_balance",
    "history_import",
    "interaction_demo_clear",
    "interaction_demo_counts",
    "interaction_demo_load",
    "transaction_demo_load",
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
    from .ledger import selectors as ledger

    return ledger.customer_balance(customer_id=customer_id)


def customer_activity(*, customer_id: UUID, limit: int = 10) -> CustomerActivity:
    """The customer's latest ``limit`` interactions (with author names) and ledger balance.

    Does not check that the customer exists (the caller usually is the customers domain):
    an unknown id gets an empty timeline and a zero balance. Three queries whatever ``limit``.
    """
    from . import gateways
    from .timeline import selectors as timeline

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


# --- Seed import (``import_seed``) -------------------------------------------------------------


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
    rows breaking the API's rules are refused in the outcome (``.interactions``,
    ``.transactions``). All or nothing for the domain; ``dry_run`` writes nothing."""
    from . import seed_import

    return seed_import.history_import(
        interactions=interactions,
        transactions=transactions,
        customers_known=customers_known,
        dry_run=dry_run,
    )


# --- Demo data (``manage.py seed_demo``; ``timeline.demo`` and ``ledger.demo``) -------------------


def interaction_demo_load(
    *,
    seed: int,
    customers: Iterable[Sequence[tuple[UUID, dt.datetime]]],
    user_ids: Sequence[UUID],
    end_date: dt.date,
) -> Iterator[int]:
    """Insert one demo interaction per item of ``customers``, given in chunks (each item: the
    customer's id and the moment it arrived; its interaction is dated after it), authored by
    one of ``user_ids``; yields the rows added per chunk (for a progress bar).

    One database transaction for the whole load (bulk ``COPY`` on PostgreSQL, indexes built
    once at the end when the table was empty): nothing is left behind if it fails or the
    caller stops early. Deterministic by ``seed``, the inputs and ``end_date``. Ids are not
    checked: the caller took them from the owning domains."""
    from .timeline import demo as timeline_demo

    yield from timeline_demo.interaction_demo_load(
        seed=seed, customers=customers, user_ids=user_ids, end_date=end_date
    )


def transaction_demo_load(
    *,
    seed: int,
    customers: Iterable[Sequence[tuple[UUID, dt.datetime]]],
    user_ids: Sequence[UUID],
    products: Sequence[tuple[UUID, Decimal]],
    end_date: dt.date,
) -> Iterator[int]:
    """Insert one demo ledger entry per item of ``customers`` (as ``interaction_demo_load``).
    Sales reference one of ``products`` (id, price; pass active ones) and are priced from it;
    both types, exact amounts, a few reversals linked to their original."""
    from .ledger import demo as ledger_demo

    yield from ledger_demo.transaction_demo_load(
        seed=seed, customers=customers, user_ids=user_ids, products=products, end_date=end_date
    )


def interaction_demo_counts() -> dict[str, int]:
    """Rows in the tables a demo load fills (``{"interaction": N, "transaction": M}``)."""
    from .ledger import demo as ledger_demo
    from .timeline import demo as timeline_demo

    return {**timeline_demo.interaction_demo_counts(), **ledger_demo.transaction_demo_counts()}


def interaction_demo_clear() -> None:
    """Empty the interaction, ledger and idempotency-key tables (``seed_demo --force``).
    Irreversible: only for demo databases."""
    from .ledger import demo as ledger_demo
    from .timeline import demo as timeline_demo

    ledger_demo.transaction_demo_clear()
    timeline_demo.interaction_demo_clear()
