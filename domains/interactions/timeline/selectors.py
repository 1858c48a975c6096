"""Reads of the interaction timeline (never the ledger's tables)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from uuid import UUID

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from crm.api.query import filter_queryset
from crm.db.queries import keyed_list, unique_row_by

from .. import gateways
from .errors import InteractionNotFound
from .filters import InteractionFilter
from .models import Interaction

NEWEST_FIRST = ("-dt_interaction", "-dt_created_at", "-cd_interaction")


def interaction_list(*, customer_id: UUID, filters: Mapping[str, str] | None = None) -> QuerySet:
    """The customer's interactions, newest first, narrowed by ``InteractionFilter``.

    Raises ``CustomerNotFound`` (404) for an unknown customer, ``InvalidInput`` (400, with
    ``{param: [messages]}``) for a filter value it cannot use.
    """
    gateways.customer_get_summary(customer_id=customer_id)
    queryset = keyed_list(Interaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
    return filter_queryset(InteractionFilter, data=filters, queryset=queryset)


def interaction_get(*, customer_id: UUID, interaction_id: UUID) -> Interaction:
    """One interaction of that customer; another customer's is as unknown as a missing one.

    Raises ``CustomerNotFound`` or ``InteractionNotFound`` (404).
    """
    gateways.customer_get_summary(customer_id=customer_id)
    interaction = unique_row_by(Interaction, cd_customer=customer_id, cd_interaction=interaction_id)
    if interaction is None:
        raise InteractionNotFound()
    return interaction


def interaction_latest(*, customer_id: UUID, limit: int) -> list[Interaction]:
    """The customer's ``limit`` newest interactions (no existence check: the caller's job)."""
    return list(
        Interaction.objects.filter(cd_customer=customer_id).order_by(*NEWEST_FIRST)[: max(limit, 0)]
    )


def interaction_customer_ids() -> list[UUID]:
    """Every customer id the timeline references (for the orphan reconciliation)."""
    return list(Interaction.objects.values_list("cd_customer", flat=True).distinct().order_by())


def author_names(*, interactions: Iterable[Interaction]) -> dict[UUID, str]:
    """The authors' names of a page of interactions, in one call to accounts."""
    return gateways.user_names(user_ids={row.cd_user for row in interactions})


def interaction_counts_by_month(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """``{"AAAA-MM": {id_interaction_type: count}}`` for the months with interactions, in the
    server's time zone (one grouped query; the dashboard's "interações por tipo e mês")."""
    queryset = Interaction.objects.all()
    if date_from:
        queryset = queryset.filter(dt_interaction__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(dt_interaction__date__lte=date_to)
    rows = (
        queryset.annotate(month=TruncMonth("dt_interaction"))
        .values("month", "id_interaction_type")
        .annotate(quantity=Count("cd_interaction"))
        .order_by("month", "id_interaction_type")
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        month = row["month"].strftime("%Y-%m")
        counts.setdefault(month, {})[row["id_interaction_type"]] = row["quantity"]
    return counts
