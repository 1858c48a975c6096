"""Writes of the interaction timeline, and its reaction to the customers domain's events."""

from __future__ import annotations

import datetime as dt
import logging
from uuid import UUID

from django.db import transaction

from crm.db.router import alias_for_app
from crm.hooks import Event

from .. import gateways
from .models import Interaction
from .selectors import interaction_customer_ids
from .validators import interaction_clean

logger = logging.getLogger(__name__)

ALIAS = alias_for_app("interactions")


def interaction_create(
    *,
    customer_id: UUID,
    user_id: UUID,
    ds_notes: str,
    id_interaction_type: str,
    dt_interaction: dt.datetime | None = None,
) -> Interaction:
    """Record an interaction with a customer, authored by ``user_id`` (the acting user).

    The fields follow ``validators`` (``InvalidInput``, 400), whoever calls. The customer must
    exist (checked through the customers interface, ``CustomerNotFound`` = 404). An *inactive*
    customer still receives interactions: the timeline is history, and talking to a former
    customer (e.g. to win them back) is exactly what it records.
    """
    fields = interaction_clean(
        ds_notes=ds_notes, id_interaction_type=id_interaction_type, dt_interaction=dt_interaction
    )
    gateways.customer_get_summary(customer_id=customer_id)
    with transaction.atomic(using=ALIAS):
        return Interaction.objects.create(cd_customer=customer_id, cd_user=user_id, **fields)


def interactions_delete_for_customers(*, customer_ids: frozenset[UUID] | set[UUID]) -> int:
    """Remove every interaction of these customers; returns how many were removed."""
    if not customer_ids:
        return 0
    with transaction.atomic(using=ALIAS):
        deleted, _by_model = Interaction.objects.filter(cd_customer__in=customer_ids).delete()
    return deleted


def remove_interactions_of_hard_deleted_customers(event: Event) -> None:
    """Subscriber of ``customer.hard_deleted`` (``apps.py``): a removed customer's timeline goes
    too."""
    removed = interactions_delete_for_customers(customer_ids=event.ids)
    logger.info("removed %s interactions of %s hard-deleted customers", removed, len(event.ids))


def orphans_reconcile(*, dry_run: bool = False, batch_size: int = 500) -> tuple[int, set[UUID]]:
    """The safety net behind ``customer.hard_deleted``: the event is durable (customers'
    outbox, relayed until delivered), but a customer removed by hand in the database, an event
    marked failed, or a restore from an older dump still leave a timeline without its
    customer. Finds every ``cd_customer`` the customers domain no longer knows (asked in
    batches through its interface) and removes those interactions (``dry_run``: only counts
    them). Returns (interactions removed, the missing customer ids).
    """
    referenced = interaction_customer_ids()
    removed = 0
    missing_customers: set[UUID] = set()
    for start in range(0, len(referenced), batch_size):
        batch = referenced[start : start + batch_size]
        existing = gateways.customer_summaries(customer_ids=batch)
        missing = {customer_id for customer_id in batch if customer_id not in existing}
        if not missing:
            continue
        missing_customers |= missing
        if dry_run:
            removed += Interaction.objects.filter(cd_customer__in=missing).count()
        else:
            removed += interactions_delete_for_customers(customer_ids=missing)
    return removed, missing_customers
