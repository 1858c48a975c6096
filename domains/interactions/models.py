"""Django's entry point to the app's models (app label ``interactions``, one schema).

The models live with the sub-package that owns them (``timeline.models``, ``ledger.models``);
Django loads an app's models from this module, so it names them all. Code inside the domain
imports them from their owner, never from here.
"""

from .ledger.models import (
    IdempotencyKey,
    LedgerCustomerTotals,
    LedgerDailyTotals,
    Transaction,
    TransactionHistory,
    TransactionType,
)
from .timeline.models import Interaction, InteractionType

__all__ = [
    "IdempotencyKey",
    "Interaction",
    "InteractionType",
    "LedgerCustomerTotals",
    "LedgerDailyTotals",
    "Transaction",
    "TransactionHistory",
    "TransactionType",
]
