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
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from crm import hooks
from crm.api.exceptions import InvalidInput
from crm.audit import field_changes, snapshot
from crm.db.router import alias_for_app
from crm.models import ChangeAction
from crm.spreadsheets import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    ImportRefused,
    ImportReport,
    RowOutcome,
    Table,
    cell,
    header_index,
)

from . import selectors
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


ACTIVE_FIELD = "is_customer_active"

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


# --- Spreadsheet import (admin): preview, then all-or-nothing apply --------------------------
#
# The same rules as the API: every row goes through ``customer_clean`` (the validators) and the
# same uniqueness rules, but the look-ups are batched (``selectors.customers_matching``: a few
# chunked queries for the whole file, not one per row) and rows are also checked against each
# other (two rows claiming one e-mail). A row is matched to an existing customer by its
# ``cd_customer`` when given, else by its CPF/CNPJ, else by its e-mail; otherwise it is new.
# Only the columns present in the file are written (like the API's partial update); columns the
# API does not let clients write (dates, ``is_customer_active``) are ignored, so an export
# re-imports as "unchanged".

IMPORT_KEY = "cd_customer"


def _import_aliases() -> dict[str, str]:
    aliases = {name: name for name in (IMPORT_KEY, *WRITABLE_FIELDS)}
    with translation.override("pt-br"):
        for name in (IMPORT_KEY, *WRITABLE_FIELDS):
            aliases[str(Customer._meta.get_field(name).verbose_name).lower()] = name
    with translation.override("en"):
        for name in (IMPORT_KEY, *WRITABLE_FIELDS):
            aliases.setdefault(str(Customer._meta.get_field(name).verbose_name).lower(), name)
    return aliases


def _field_label(name: str) -> str:
    return str(Customer._meta.get_field(name).verbose_name)


@dataclass
class _PlannedRow:
    line: int
    label: str
    fields: dict[str, Any]
    target: Customer | None = None
    errors: list[str] = dataclass_field(default_factory=list)
    fate: str = ERROR


def _plan(table: Table) -> tuple[list[_PlannedRow], list[str]]:
    positions, problems = header_index(header=table.header, aliases=_import_aliases())
    if "ds_customer_name" not in positions and IMPORT_KEY not in positions:
        problems.append(
            gettext("A planilha precisa da coluna ds_customer_name (nome) ou cd_customer.")
        )
    if problems:
        return [], problems

    planned: list[_PlannedRow] = []
    for row in table.rows:
        data = {name: cell(row, positions, name) for name in positions if name != IMPORT_KEY}
        entry = _PlannedRow(line=row.line, label=data.get("ds_customer_name") or "", fields={})
        raw_id = cell(row, positions, IMPORT_KEY) if IMPORT_KEY in positions else None
        if raw_id and raw_id.strip():
            try:
                entry.fields[IMPORT_KEY] = UUID(raw_id.strip())
            except ValueError:
                entry.errors.append(gettext("Código de cliente inválido: %s.") % raw_id.strip())
        try:
            entry.fields.update(customer_clean(data=data, creating=False))
        except InvalidInput as error:
            for name, messages in error.message.items():
                entry.errors.extend(f"{_field_label(name)}: {message}" for message in messages)
        planned.append(entry)

    existing = selectors.customers_matching(
        customer_ids={row.fields[IMPORT_KEY] for row in planned if IMPORT_KEY in row.fields},
        emails={
            row.fields["ds_customer_email"]
            for row in planned
            if row.fields.get("ds_customer_email")
        },
        cpf_cnpjs={
            row.fields["ds_customer_cpf_cnpj"]
            for row in planned
            if row.fields.get("ds_customer_cpf_cnpj")
        },
    )
    owner_of_email = {
        c.ds_customer_email.lower(): c for c in existing.values() if c.ds_customer_email
    }
    owner_of_cpf = {c.ds_customer_cpf_cnpj: c for c in existing.values() if c.ds_customer_cpf_cnpj}
    line_of_target: dict[UUID, int] = {}
    line_of_email: dict[str, int] = {}
    line_of_cpf: dict[str, int] = {}

    for entry in planned:
        if entry.errors:
            continue
        email = entry.fields.get("ds_customer_email")
        cpf_cnpj = entry.fields.get("ds_customer_cpf_cnpj")
        if IMPORT_KEY in entry.fields:
            entry.target = existing.get(entry.fields[IMPORT_KEY])
            if entry.target is None:
                entry.errors.append(str(CustomerNotFound.default_message))
                continue
        else:
            entry.target = owner_of_cpf.get(cpf_cnpj) or owner_of_email.get(email)
        target_id = entry.target.pk if entry.target else None
        if target_id is not None:
            if target_id in line_of_target:
                entry.errors.append(
                    gettext("Cliente repetido na planilha (linha %d).") % line_of_target[target_id]
                )
            line_of_target.setdefault(target_id, entry.line)
        if email:
            owner = owner_of_email.get(email)
            if owner is not None and owner.pk != target_id:
                entry.errors.append(EMAIL_TAKEN)
            elif email in line_of_email:
                entry.errors.append(
                    gettext("E-mail repetido na planilha (linha %d).") % line_of_email[email]
                )
            line_of_email.setdefault(email, entry.line)
        if cpf_cnpj:
            owner = owner_of_cpf.get(cpf_cnpj)
            if owner is not None and owner.pk != target_id:
                entry.errors.append(CPF_CNPJ_TAKEN)
            elif cpf_cnpj in line_of_cpf:
                entry.errors.append(
                    gettext("CPF/CNPJ repetido na planilha (linha %d).") % line_of_cpf[cpf_cnpj]
                )
            line_of_cpf.setdefault(cpf_cnpj, entry.line)
        if entry.errors:
            continue
        if entry.target is None:
            if not entry.fields.get("ds_customer_name"):
                entry.errors.append(
                    f"{_field_label('ds_customer_name')}: O nome do cliente é obrigatório."
                )
                continue
            entry.fate = NEW
        else:
            entry.label = entry.label or entry.target.ds_customer_name
            changed = any(
                getattr(entry.target, name) != value
                for name, value in entry.fields.items()
                if name != IMPORT_KEY
            )
            entry.fate = UPDATED if changed else UNCHANGED
    return planned, problems


def _report(planned: list[_PlannedRow]) -> ImportReport:
    return ImportReport(
        rows=tuple(
            RowOutcome(
                line=entry.line,
                fate=ERROR if entry.errors else entry.fate,
                label=entry.label,
                errors=tuple(entry.errors),
            )
            for entry in planned
        )
    )


def customer_import_preview(*, table: Table) -> ImportReport:
    """What applying ``table`` would do, row by row (nothing is written).

    Raises ``InvalidInput`` when the file itself is unusable (missing or repeated columns).
    """
    planned, problems = _plan(table)
    if problems:
        raise InvalidInput(" ".join(problems))
    return _report(planned)


def customer_import_apply(*, table: Table) -> ImportReport:
    """Apply ``table`` all or nothing: re-checked against the current data (it may have changed
    since the preview); any row in error raises ``ImportRefused`` and nothing is written.
    New customers are inserted and changed ones updated in batches, in one transaction."""
    planned, problems = _plan(table)
    if problems:
        raise InvalidInput(" ".join(problems))
    report = _report(planned)
    if report.has_errors:
        raise ImportRefused(report)
    now = timezone.now()
    created: list[Customer] = []
    updated: list[Customer] = []
    history: list[dict] = []
    update_fields: set[str] = {"dt_customer_updated_at"}
    for entry in planned:
        fields = {name: value for name, value in entry.fields.items() if name != IMPORT_KEY}
        if entry.fate == NEW:
            fields.setdefault("ds_customer_country", DEFAULT_COUNTRY)
            created.append(Customer(**fields))
        elif entry.fate == UPDATED:
            before = snapshot(entry.target, AUDITED_FIELDS)
            for name, value in fields.items():
                setattr(entry.target, name, value)
            changes = field_changes(before, snapshot(entry.target, AUDITED_FIELDS))
            if changes:
                action = ChangeAction.for_update(changes, active_field=ACTIVE_FIELD)
                history.append(
                    {"cd_customer": entry.target.pk, "ds_action": action, "ds_changes": changes}
                )
            entry.target.dt_customer_updated_at = now
            update_fields.update(fields)
            updated.append(entry.target)
    alias = _alias()
    try:
        with transaction.atomic(using=alias):
            Customer.objects.using(alias).bulk_create(created, batch_size=1000)
            Customer.objects.using(alias).bulk_update(
                updated, sorted(update_fields), batch_size=1000
            )
            # The audit trail, in the import's transaction: one event per row it created or
            # changed (old values as read for the plan).
            history += [
                {
                    "cd_customer": row.pk,
                    "ds_action": ChangeAction.CRIADO,
                    "ds_changes": field_changes(
                        {},
                        {k: v for k, v in snapshot(row, AUDITED_FIELDS).items() if v is not None},
                    ),
                }
                for row in created
            ]
            CustomerHistory.record_many(using=alias, rows=history)
    except IntegrityError:
        # Another write took an e-mail or CPF/CNPJ between the check and the insert.
        raise CustomerConflict(
            gettext(
                "Outro usuário alterou clientes durante a importação; nada foi gravado. "
                "Gere a prévia de novo."
            )
        ) from None
    return report
