"""``import_seed``'s entry into the interactions domain: the timeline's and the ledger's seed
imports (``timeline.seed_import``, ``ledger.seed_import``) in one transaction, so the domain is
all or nothing: a failure in the ledger also undoes the timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from crm.db.router import alias_for_app

from .ledger.seed_import import SeedTransaction, transactions_import
from .records import HistoryImportOutcome
from .timeline.seed_import import SeedInteraction, interactions_import


def history_import(
    *,
    interactions: Iterable[SeedInteraction],
    transactions: Iterable[SeedTransaction],
    customers_known: frozenset[UUID] = frozenset(),
    dry_run: bool = False,
) -> HistoryImportOutcome:
    """Timeline, then ledger, on one transaction of the domain's alias."""
    with transaction.atomic(using=alias_for_app("interactions")):
        return HistoryImportOutcome(
            interactions=interactions_import(
                rows=interactions, customers_known=customers_known, dry_run=dry_run
            ),
            transactions=transactions_import(
                rows=transactions, customers_known=customers_known, dry_run=dry_run
            ),
        )
