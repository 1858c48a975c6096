"""Django's entry point to the app's models (app label ``interactions``, one schema).

The models live with the sub-package that owns them (``timeline.models``, ``ledger.models``);
Django loads an app's models from this module, so it names them all. Code inside the domain
imports them from their owner, never from here.
"""

from django.utils.translation import gettext_lazy as _

from crm.events import InboxEvent

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
    "EventInbox",
    "IdempotencyKey",
    "Interaction",
    "InteractionType",
    "LedgerCustomerTotals",
    "LedgerDailyTotals",
    "Transaction",
    "TransactionHistory",
    "TransactionType",
]


class EventInbox(InboxEvent):
    """Events of other domains this domain has processed (``customer.hard_deleted``): one row
    per (event, handler), committed with the handler's own writes (``crm.events``)."""

    class Meta(InboxEvent.Meta):
        db_table = "interactions_event_inbox"
        verbose_name = _("evento processado")
        verbose_name_plural = _("eventos processados")
