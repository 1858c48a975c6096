"""Customers domain: the public interface.

Purpose: the customer register (CRUD, search, activate/deactivate).
Owns: schema ``customers``: tables ``customer`` and ``customer_history`` (the audit trail:
who created, changed, deactivated, reactivated or deleted which customer, when, from which
IP). CPF/CNPJ is stored and returned digits only (``52998224725``), e-mail lower-case, UF
upper-case, CEP as ``00000-000``.
Publishes (``crm.hooks``): guard ``customer.hard_delete`` is checked before a customer is
removed for good (a refusal answers 409 and nothing is deleted); event ``customer.hard_deleted``
(ids) after the delete committed. Subscribers clean up whatever they hold for those customers.
Admin panels: providers registered under ``customer.change_page`` get the customer's id and are
rendered on the customer's admin change page.
Calls: accounts (``user_names``: who acted, for the audit trail).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from . import selectors
from .errors import CustomerNotFound

__all__ = [
    "CHANGE_PAGE_PANELS",
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "CustomerNotFound",
    "CustomerSummary",
    "customer_get_summary",
    "customer_summaries",
]

#: crm.hooks topic checked before a hard delete (guards get the customer ids).
HARD_DELETE_GUARD = "customer.hard_delete"
#: crm.hooks topic published after a hard delete committed.
HARD_DELETED_EVENT = "customer.hard_deleted"
#: crm.hooks panel topic rendered on the customer's admin change page (gets the customer id).
CHANGE_PAGE_PANELS = "customer.change_page"


@dataclass(frozen=True)
class CustomerSummary:
    cd_customer: UUID
    ds_customer_name: str
    is_customer_active: bool


def customer_get_summary(*, customer_id: UUID) -> CustomerSummary:
    """The customer, active or not. Raises ``CustomerNotFound``."""
    summary = customer_summaries(customer_ids=[customer_id]).get(customer_id)
    if summary is None:
        raise CustomerNotFound()
    return summary


def customer_summaries(*, customer_ids: Iterable[UUID]) -> dict[UUID, CustomerSummary]:
    """Many customers in one call (for lists); unknown ids are left out."""
    return {
        cd: CustomerSummary(cd_customer=cd, ds_customer_name=name, is_customer_active=active)
        for cd, name, active in selectors.customer_summary_rows(customer_ids=customer_ids)
    }
