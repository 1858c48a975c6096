"""Customers domain: the public interface.

Purpose: the customer register (CRUD, search, activate/deactivate).
Owns: schema ``customers``: tables ``customer``, ``customer_outbox`` (the events it published,
kept until delivered: ``crm.events``) and ``customer_history`` (the audit trail:
who created, changed, deactivated, reactivated or deleted which customer, when, from which
IP). CPF/CNPJ is stored and returned digits only (``52998224725``), e-mail lower-case, UF
upper-case, CEP as ``00000-000``.
Publishes (``crm.hooks``): guard ``customer.hard_delete`` is checked before a customer is
removed for good (a refusal answers 409 and nothing is deleted); event ``customer.hard_deleted``
(ids), durable: written to ``customer_outbox`` in the transaction of the delete and delivered
after it committed, at least once (in-process, or through RabbitMQ in a split), each subscriber
processing it once through its inbox. Subscribers clean up whatever they hold for those
customers.
Admin panels: providers registered under ``customer.change_page`` get the customer's id and are
rendered on the customer's admin change page.
Calls: accounts (``user_names``: who acted, for the audit trail).

Served by another process (``CRM_DOMAINS``): the functions in ``INTERNAL_API`` are called at
``POST /internal/customers/<function>`` (``crm.remote`` derives the endpoints and the client from
their signatures); errors cross as the same classes. Dataclasses live in ``records.py``
and the implementation is imported per call, so this module imports without the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from uuid import UUID

from crm.bulk_import import ImportOutcome

from .errors import CustomerNotFound
from .records import CustomerDemoRows, SeedCustomer

# The implementation is imported inside each function: a process that does not serve this
# domain still imports this module (its names, dataclasses and errors) for ``crm.remote``.

#: What other processes may call over HTTP (``crm.remote``: ``POST /internal/customers/<name>``,
#: built from these functions' signatures); each is a read or idempotent, batch-first.
INTERNAL_API = ("customer_summaries", "customer_get_summary")

__all__ = [
    "CHANGE_PAGE_PANELS",
    "HARD_DELETED_EVENT",
    "HARD_DELETE_GUARD",
    "INTERNAL_API",
    "CustomerDemoRows",
    "CustomerNotFound",
    "CustomerSummary",
    "ImportOutcome",
    "SeedCustomer",
    "customer_demo_clear",
    "customer_demo_counts",
    "customer_demo_load",
    "customer_get_summary",
    "customer_summaries",
    "customers_import",
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
    from . import selectors

    row = selectors.customer_summary_row(customer_id=customer_id)
    # As ``customer_summaries(customer_ids=[customer_id]).get(customer_id)`` answers: keyed by
    # the stored id, so only an id equal to it finds the row.
    if row is None or row[0] != customer_id:
        raise CustomerNotFound()
    cd, name, active = row
    return CustomerSummary(cd_customer=cd, ds_customer_name=name, is_customer_active=active)


def customer_summaries(*, customer_ids: Iterable[UUID]) -> dict[UUID, CustomerSummary]:
    """Many customers in one call (for lists); unknown ids are left out."""
    from . import selectors

    return {
        cd: CustomerSummary(cd_customer=cd, ds_customer_name=name, is_customer_active=active)
        for cd, name, active in selectors.customer_summary_rows(customer_ids=customer_ids)
    }


def customers_import(*, rows: Iterable[SeedCustomer], dry_run: bool = False) -> ImportOutcome:
    """Bring the seed's customers over with their UUIDs, normalised by the API's own rules
    (CPF/CNPJ digits, e-mail lower-case, UF upper-case, CEP ``00000-000``); rows already present
    are left alone, rows breaking a rule are refused in the outcome. All or nothing;
    ``dry_run`` writes nothing."""
    from . import seed_import

    return seed_import.customers_import(rows=rows, dry_run=dry_run)


# --- Demo data (``manage.py seed_demo``) -------------------------------------------------------


def customer_demo_load(*, seed: int, count: int, end_date: dt.date) -> Iterator[CustomerDemoRows]:
    """Insert ``count`` demo customers, valid under every customer rule, and stream back what
    each chunk added (``crm.demo.CHUNK`` rows at a time, for a progress bar).

    One database transaction for the whole load (bulk ``COPY`` on PostgreSQL, indexes built
    once at the end when the table was empty): nothing is left behind if it fails or if the
    caller stops early. Deterministic: the rows depend only on ``seed``, ``count`` and
    ``end_date``. CPFs/CNPJs and e-mails are unique; exactly 10% of the customers are inactive.
    """
    from . import demo

    yield from demo.customer_demo_load(seed=seed, count=count, end_date=end_date)


def customer_demo_counts() -> dict[str, int]:
    """Rows in the tables a demo load fills (``{"customer": N}``)."""
    from . import demo

    return demo.customer_demo_counts()


def customer_demo_clear() -> None:
    """Empty the customer table (``seed_demo --force``). Irreversible."""
    from . import demo

    demo.customer_demo_clear()
