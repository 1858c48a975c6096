"""Writes to the customer register.

Every write validates with ``validators`` (400 ``{"error": {field: [msgs]}}``), checks the unique
values (409), and saves inside ``transaction.atomic`` on the customers alias; a unique value taken
by a concurrent request between the check and the save is answered 409 as well (the database
constraint is the last word), so nothing is ever half-written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm import hooks
from crm.db.router import alias_for_app

from .errors import CPF_CNPJ_TAKEN, EMAIL_TAKEN, CustomerConflict
from .interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from .models import Customer
from .selectors import customer_cpf_cnpj_taken, customer_email_taken, customer_get
from .validators import DEFAULT_COUNTRY, customer_clean


def _alias() -> str:
    return alias_for_app("customers")


def customer_unique_conflict(
    *, email: str | None, cpf_cnpj: str | None, exclude_customer_id: UUID | None = None
) -> str | None:
    """The message for the first unique value already used by another customer, if any."""
    if email and customer_email_taken(email=email, exclude_customer_id=exclude_customer_id):
        return EMAIL_TAKEN
    if cpf_cnpj and customer_cpf_cnpj_taken(
        cpf_cnpj=cpf_cnpj, exclude_customer_id=exclude_customer_id
    ):
        return CPF_CNPJ_TAKEN
    return None


def _ensure_unique(
    *, email: str | None, cpf_cnpj: str | None, exclude_customer_id: UUID | None
) -> None:
    message = customer_unique_conflict(
        email=email, cpf_cnpj=cpf_cnpj, exclude_customer_id=exclude_customer_id
    )
    if message:
        raise CustomerConflict(message)


def _save(customer: Customer, **save_kwargs: Any) -> None:
    try:
        with transaction.atomic(using=_alias()):
            customer.save(using=_alias(), **save_kwargs)
    except IntegrityError:
        # Lost a race with a concurrent write of the same e-mail or CPF/CNPJ.
        exclude_customer_id = None if save_kwargs.get("force_insert") else customer.pk
        message = customer_unique_conflict(
            email=customer.ds_customer_email,
            cpf_cnpj=customer.ds_customer_cpf_cnpj,
            exclude_customer_id=exclude_customer_id,
        )
        raise CustomerConflict(message) from None


def customer_create(*, data: Mapping[str, Any]) -> Customer:
    """Create a customer from client data (unknown keys and ``is_customer_active`` ignored)."""
    fields = customer_clean(data=data, creating=True)
    fields.setdefault("ds_customer_country", DEFAULT_COUNTRY)
    _ensure_unique(
        email=fields.get("ds_customer_email"),
        cpf_cnpj=fields.get("ds_customer_cpf_cnpj"),
        exclude_customer_id=None,
    )
    customer = Customer(**fields)
    _save(customer, force_insert=True)
    return customer


def customer_update(*, customer_id: UUID, data: Mapping[str, Any]) -> Customer:
    """Partial update: only the writable fields present in ``data`` change."""
    customer = customer_get(customer_id=customer_id)
    fields = customer_clean(data=data, creating=False)
    if not fields:
        return customer
    _ensure_unique(
        email=fields.get("ds_customer_email"),
        cpf_cnpj=fields.get("ds_customer_cpf_cnpj"),
        exclude_customer_id=customer.pk,
    )
    for name, value in fields.items():
        setattr(customer, name, value)
    _save(customer, update_fields=[*fields, "dt_customer_updated_at"])
    return customer


def customer_set_active(*, customer_ids: Iterable[UUID], active: bool) -> int:
    """Activate or deactivate many customers; returns how many changed state."""
    ids = set(customer_ids)
    if not ids:
        return 0
    with transaction.atomic(using=_alias()):
        return (
            Customer.objects.using(_alias())
            .filter(pk__in=ids)
            .exclude(is_customer_active=active)
            .update(is_customer_active=active, dt_customer_updated_at=timezone.now())
        )


def customer_activate(*, customer_id: UUID) -> Customer:
    """Reactivate (idempotent). Raises ``CustomerNotFound``."""
    customer_get(customer_id=customer_id)
    customer_set_active(customer_ids=[customer_id], active=True)
    return customer_get(customer_id=customer_id)


def customer_deactivate(*, customer_id: UUID) -> Customer:
    """Soft delete (idempotent): the customer leaves the default list but keeps its history."""
    customer_get(customer_id=customer_id)
    customer_set_active(customer_ids=[customer_id], active=False)
    return customer_get(customer_id=customer_id)


def customer_check_hard_delete(*, customer_id: UUID) -> None:
    """Raise ``CustomerNotFound``, or ``Conflict`` when a guard refuses the hard delete."""
    customer_get(customer_id=customer_id)
    hooks.check_guards(HARD_DELETE_GUARD, ids=[customer_id])


def customer_hard_delete(*, customer_id: UUID) -> None:
    """Remove a customer for good.

    Other domains may refuse through the ``HARD_DELETE_GUARD`` guard (``Conflict`` -> 409, nothing
    deleted); once the delete committed, ``HARD_DELETED_EVENT`` tells them to clean up.
    """
    customer_check_hard_delete(customer_id=customer_id)
    alias = _alias()
    with transaction.atomic(using=alias):
        Customer.objects.using(alias).filter(pk=customer_id).delete()
        hooks.publish(HARD_DELETED_EVENT, ids=[customer_id], using=alias)
