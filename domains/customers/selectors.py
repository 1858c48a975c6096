"""Reads of the customer register."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from crm.api.query import filter_queryset
from crm.db.queries import rows_by_keys, unique_row_by

from . import gateways
from .errors import CustomerNotFound
from .filters import CustomerFilter
from .models import Customer, CustomerHistory


def customer_get(*, customer_id: UUID) -> Customer:
    """The customer, active or not. Raises ``CustomerNotFound``."""
    customer = unique_row_by(Customer, pk=customer_id)
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


def customer_summary_row(*, customer_id: UUID) -> tuple[UUID, str, bool] | None:
    """``customer_summary_rows`` of one id (the per-customer reads' existence check): a read
    by primary key, its SQL compiled once (``unique_row_by``)."""
    return unique_row_by(
        Customer,
        pk=customer_id,
        values=SUMMARY_COLUMNS,
    )


SUMMARY_COLUMNS = ("cd_customer", "ds_customer_name", "is_customer_active")


def customer_summary_rows(*, customer_ids: Iterable[UUID]) -> list[tuple[UUID, str, bool]]:
    ids = set(customer_ids)
    if not ids:
        return []
    # No order wanted: the caller keys them by id. The SQL compiled once per number of ids.
    return rows_by_keys(Customer, "cd_customer", ids, values=SUMMARY_COLUMNS)


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


#: Columns of a customer export (API and admin), in order: the API's output fields.
EXPORT_COLUMNS = (
    "cd_customer",
    "ds_customer_name",
    "ds_customer_email",
    "ds_customer_phone",
    "ds_customer_cpf_cnpj",
    "ds_customer_address",
    "ds_customer_city",
    "ds_customer_state",
    "ds_customer_zip_code",
    "ds_customer_country",
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "is_customer_active",
)
_LOOKUP_CHUNK = 500


def customer_export_rows(*, customers: QuerySet[Customer]) -> Iterator[tuple]:
    """The rows of ``customers`` as ``EXPORT_COLUMNS`` tuples, read in chunks from a
    database cursor (never the whole result in memory); times in the server's time zone,
    as the API shows them."""
    for row in customers.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000):
        yield tuple(
            timezone.localtime(value) if isinstance(value, dt.datetime) else value for value in row
        )


def customers_matching(
    *, customer_ids: Iterable[UUID], emails: Iterable[str], cpf_cnpjs: Iterable[str]
) -> dict[UUID, Customer]:
    """Every customer whose id, e-mail (stored lower-case) or CPF/CNPJ is in the given sets,
    in a few chunked queries whatever how many values (an import's look-ups, not one per row)."""
    found: dict[UUID, Customer] = {}

    def fetch(lookup: str, values: set) -> None:
        ordered = sorted(values, key=str)
        for start in range(0, len(ordered), _LOOKUP_CHUNK):
            chunk = ordered[start : start + _LOOKUP_CHUNK]
            for customer in Customer.objects.filter(**{lookup: chunk}):
                found[customer.pk] = customer

    fetch("pk__in", set(customer_ids) - found.keys())
    # A customer already found is not fetched again for its e-mail or document (a re-imported
    # export names each customer by all three).
    known_emails = {c.ds_customer_email for c in found.values() if c.ds_customer_email}
    fetch("ds_customer_email__in", {email.lower() for email in emails} - known_emails)
    known_documents = {c.ds_customer_cpf_cnpj for c in found.values() if c.ds_customer_cpf_cnpj}
    fetch("ds_customer_cpf_cnpj__in", set(cpf_cnpjs) - known_documents)
    return found
