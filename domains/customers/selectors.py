"""Reads of the customer register."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from crm.api.query import filter_queryset

from . import gateways
from .errors import CustomerNotFound
from .filters import CustomerFilter
from .models import Customer, CustomerHistory


def customer_get(*, customer_id: UUID) -> Customer:
    """The customer, active or not. Raises ``CustomerNotFound``."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise CustomerNotFound()
    return customer


def customer_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Customer]:
    """Customers matching the list's query parameters (see ``filters.CustomerFilter``).

    Raises ``InvalidInput({param: [messages]})`` for an invalid parameter value.
    """
    return filter_queryset(CustomerFilter, data=filters, queryset=Customer.objects.all())


def customer_email_taken(*, email: str, exclude_customer_id: UUID | None = None) -> bool:
    queryset = Customer.objects.filter(ds_customer_email__iexact=email)
    if exclude_customer_id is not None:
        queryset = queryset.exclude(pk=exclude_customer_id)
    return queryset.exists()


def customer_cpf_cnpj_taken(*, cpf_cnpj: str, exclude_customer_id: UUID | None = None) -> bool:
    queryset = Customer.objects.filter(ds_customer_cpf_cnpj=cpf_cnpj)
    if exclude_customer_id is not None:
        queryset = queryset.exclude(pk=exclude_customer_id)
    return queryset.exists()


def customer_summary_rows(*, customer_ids: Iterable[UUID]) -> list[tuple[UUID, str, bool]]:
    ids = set(customer_ids)
    if not ids:
        return []
    return list(
        Customer.objects.filter(cd_customer__in=ids).values_list(
            "cd_customer", "ds_customer_name", "is_customer_active"
        )
    )


def customer_history_list(*, customer_id: UUID) -> QuerySet[CustomerHistory]:
    """The customer's audit trail, newest first.

    A hard-deleted customer keeps its history (the last event says who removed it), so this
    raises ``CustomerNotFound`` only when the id names neither a customer nor any history.
    """
    history = CustomerHistory.objects.filter(cd_customer=customer_id).order_by(
        "-dt_event", "-cd_customer_history"
    )
    if not Customer.objects.filter(pk=customer_id).exists() and not history.exists():
        raise CustomerNotFound()
    return history


def history_user_names(*, events: Iterable[CustomerHistory]) -> dict[UUID, str]:
    """The names of the users who acted in a page of history, in one call to accounts."""
    return gateways.user_names(user_ids={row.cd_user for row in events if row.cd_user})
