"""Reads of the interaction timeline (and whether customers hold ledger entries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from uuid import UUID

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from crm.api.exceptions import InvalidInput, NotFound

from . import gateways
from .filters import InteractionFilter
from .models import Interaction, Transaction


class InteractionNotFound(NotFound):
    default_message = _("Interação não encontrada.")


def interaction_list(*, customer_id: UUID, filters: Mapping[str, str] | None = None) -> QuerySet:
    """The customer's interactions, newest first, narrowed by ``InteractionFilter``.

    Invalid filter values are a 400 (``InvalidInput`` with ``{param: [messages]}``).
    """
    queryset = Interaction.objects.filter(cd_customer=customer_id).order_by(
        "-dt_interaction", "-dt_created_at", "-cd_interaction"
    )
    filterset = InteractionFilter(data=filters or {}, queryset=queryset)
    if not filterset.is_valid():
        raise InvalidInput({name: list(errors) for name, errors in filterset.errors.items()})
    start = filterset.form.cleaned_data.get("date_from")
    end = filterset.form.cleaned_data.get("date_to")
    if start and end and start > end:
        raise InvalidInput({"date_to": [str(_("Deve ser igual ou posterior a date_from."))]})
    return filterset.qs


def interaction_get(*, customer_id: UUID, interaction_id: UUID) -> Interaction:
    """One interaction of that customer; another customer's is as unknown as a missing one."""
    interaction = Interaction.objects.filter(
        cd_customer=customer_id, cd_interaction=interaction_id
    ).first()
    if interaction is None:
        raise InteractionNotFound()
    return interaction


def interaction_latest(*, customer_id: UUID, limit: int) -> list[Interaction]:
    return list(
        Interaction.objects.filter(cd_customer=customer_id).order_by(
            "-dt_interaction", "-dt_created_at", "-cd_interaction"
        )[: max(limit, 0)]
    )


def customers_with_ledger_entries(*, customer_ids: frozenset[UUID] | set[UUID]) -> bool:
    """Whether any of these customers has at least one ledger entry (``Transaction``)."""
    if not customer_ids:
        return False
    return Transaction.objects.filter(cd_customer__in=customer_ids).exists()


def customers_among_with_ledger_entries(*, customer_ids: set[UUID]) -> set[UUID]:
    """Which of these customers have at least one ledger entry."""
    return set(
        Transaction.objects.filter(cd_customer__in=customer_ids)
        .values_list("cd_customer", flat=True)
        .distinct()
        .order_by()
    )


def author_names(*, interactions: list[Interaction]) -> dict[UUID, str]:
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
