"""Writes to the customer register.

Every write validates with ``validators`` (400 ``{"error": {field: [msgs]}}``), checks the unique
values (409), and saves inside ``transaction.atomic`` on the customers alias; a unique value taken
by a concurrent request between the check and the save is answered 409 as well (the database
constraint is the last word), so nothing is ever half-written.

Every change is recorded in ``CustomerHistory`` (the audit trail) inside that same transaction,
with the acting user and client IP from ``crm.audit.current_actor()``: the API, the admin and
commands are all covered, and a change that fails leaves no history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm import hooks
from crm.audit import field_changes, snapshot
from crm.db.router import alias_for_app
from crm.models import ChangeAction

from .errors import CPF_CNPJ_TAKEN, EMAIL_TAKEN, CustomerConflict, CustomerNotFound
from .interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from .models import Customer, CustomerHistory
from .selectors import customer_cpf_cnpj_taken, customer_email_taken, customer_get
from .validators import DEFAULT_COUNTRY, WRITABLE_FIELDS, customer_clean


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


#: What the audit trail records of a customer (timestamps aside: ``dt_event`` says when).
AUDITED_FIELDS = (*WRITABLE_FIELDS, "is_customer_active")


def _record(*, customer_id: UUID, action: ChangeAction, changes: dict) -> None:
    CustomerHistory.record(
        using=_alias(), cd_customer=customer_id, ds_action=action, ds_changes=changes
    )


def _locked(customer_id: UUID) -> Customer:
    """The row, locked until the caller's transaction ends (so the audit trail's "old" values
    are the ones this change replaces, whatever runs concurrently)."""
    customer = Customer.objects.using(_alias()).select_for_update().filter(pk=customer_id).first()
    if customer is None:
        raise CustomerNotFound()
    return customer


def _conflict(customer: Customer, *, creating: bool) -> CustomerConflict:
    # Lost a race with a concurrent write of the same e-mail or CPF/CNPJ.
    message = customer_unique_conflict(
        email=customer.ds_customer_email,
        cpf_cnpj=customer.ds_customer_cpf_cnpj,
        exclude_customer_id=None if creating else customer.pk,
    )
    return CustomerConflict(message)


def customer_create(*, data: Mapping[str, Any]) -> Customer:
    """Create a customer from client data (unknown keys and ``is_customer_active`` ignored).
    Recorded in the history as ``criado`` with every value set."""
    fields = customer_clean(data=data, creating=True)
    fields.setdefault("ds_customer_country", DEFAULT_COUNTRY)
    _ensure_unique(
        email=fields.get("ds_customer_email"),
        cpf_cnpj=fields.get("ds_customer_cpf_cnpj"),
        exclude_customer_id=None,
    )
    customer = Customer(**fields)
    try:
        with transaction.atomic(using=_alias()):
            customer.save(using=_alias(), force_insert=True)
            values = {k: v for k, v in snapshot(customer, AUDITED_FIELDS).items() if v is not None}
            _record(
                customer_id=customer.pk,
                action=ChangeAction.CRIADO,
                changes=field_changes({}, values),
            )
    except IntegrityError:
        raise _conflict(customer, creating=True) from None
    return customer


def customer_update(*, customer_id: UUID, data: Mapping[str, Any]) -> Customer:
    """Partial update: only the writable fields present in ``data`` change. Recorded as
    ``alterado`` with the fields whose value changed (nothing recorded when none did)."""
    customer = customer_get(customer_id=customer_id)
    fields = customer_clean(data=data, creating=False)
    if not fields:
        return customer
    _ensure_unique(
        email=fields.get("ds_customer_email"),
        cpf_cnpj=fields.get("ds_customer_cpf_cnpj"),
        exclude_customer_id=customer.pk,
    )
    try:
        with transaction.atomic(using=_alias()):
            customer = _locked(customer_id)
            before = snapshot(customer, AUDITED_FIELDS)
            for name, value in fields.items():
                setattr(customer, name, value)
            customer.save(using=_alias(), update_fields=[*fields, "dt_customer_updated_at"])
            changes = field_changes(before, snapshot(customer, AUDITED_FIELDS))
            if changes:
                _record(customer_id=customer.pk, action=ChangeAction.ALTERADO, changes=changes)
    except IntegrityError:
        raise _conflict(customer, creating=False) from None
    return customer


def customer_set_active(*, customer_ids: Iterable[UUID], active: bool) -> int:
    """Activate or deactivate many customers; returns how many changed state. Each one that
    changed is recorded as ``reativado`` or ``desativado``."""
    ids = set(customer_ids)
    if not ids:
        return 0
    alias = _alias()
    with transaction.atomic(using=alias):
        changing = list(
            Customer.objects.using(alias)
            .select_for_update()
            .filter(pk__in=ids)
            .exclude(is_customer_active=active)
            .values_list("pk", flat=True)
        )
        if not changing:
            return 0
        changed = (
            Customer.objects.using(alias)
            .filter(pk__in=changing)
            .update(is_customer_active=active, dt_customer_updated_at=timezone.now())
        )
        CustomerHistory.record_many(
            using=alias,
            rows=[
                {
                    "cd_customer": customer_id,
                    "ds_action": ChangeAction.REATIVADO if active else ChangeAction.DESATIVADO,
                    "ds_changes": {"is_customer_active": [not active, active]},
                }
                for customer_id in changing
            ],
        )
        return changed


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
    Recorded as ``excluido`` with the values the customer had; its history stays readable.
    """
    customer_check_hard_delete(customer_id=customer_id)
    alias = _alias()
    with transaction.atomic(using=alias):
        customer = _locked(customer_id)
        values = {k: v for k, v in snapshot(customer, AUDITED_FIELDS).items() if v is not None}
        customer.delete(using=alias)
        # The last values stay in the history: who removed what is the point of an audit trail.
        _record(
            customer_id=customer_id,
            action=ChangeAction.EXCLUIDO,
            changes=field_changes(values, {}),
        )
        hooks.publish(HARD_DELETED_EVENT, ids=[customer_id], using=alias)
