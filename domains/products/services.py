"""Writes of the products domain. The API and the admin both come through here, so the same
rules hold whichever door a change uses: the fields follow ``validators`` (400), the name is
unique case-insensitively (the database's ``LOWER()``, as the ``product_name_ci_unique``
constraint) -> 409 when taken.

Every change is recorded in ``ProductHistory`` (the audit trail) inside the change's own
transaction, with the acting user and client IP from ``crm.audit.current_actor()``: whichever
door the change came through, and a change that fails leaves no history.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm import hooks
from crm.api.exceptions import Conflict, InvalidInput
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
from .errors import ProductNameTaken, ProductNotFound
from .interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from .models import Product, ProductHistory, ProductType
from .selectors import product_name_taken
from .validators import FIELD_CLEANERS, REQUIRED_ON_CREATE, product_fields_clean


class Unset(enum.Enum):
    """A keyword the caller did not pass (partial updates): ``None`` is a value."""

    UNSET = "UNSET"


UNSET = Unset.UNSET


def _alias() -> str:
    return alias_for_app(Product._meta.app_label)


ACTIVE_FIELD = "is_active"

#: What the audit trail records of a product (timestamps aside: ``dt_event`` says when).
AUDITED_FIELDS = (
    "ds_product_name",
    "ds_product_description",
    "vr_price",
    "id_product_type",
    "is_active",
)


def _values(product: Product) -> dict[str, Any]:
    return {k: v for k, v in snapshot(product, AUDITED_FIELDS).items() if v is not None}


def _record(*, product_id: UUID, action: ChangeAction, changes: dict) -> None:
    ProductHistory.record(
        using=_alias(), cd_product=product_id, ds_action=action, ds_changes=changes
    )


def product_clean(
    *,
    product_id: UUID | None = None,
    ds_product_name: Any = UNSET,
    ds_product_description: Any = UNSET,
    vr_price: Any = UNSET,
    id_product_type: Any = UNSET,
    is_active: Any = UNSET,
) -> dict[str, Any]:
    """Validate and normalise the fields given (``product_id`` None means a new product).

    Returns ``{field: clean value}`` for the fields passed. Raises ``InvalidInput`` with
    ``{field: [message]}`` for every invalid field, then ``ProductNameTaken`` (409) when the
    name belongs to another product. Used by the services below and by the admin form.
    """
    given = {
        "ds_product_name": ds_product_name,
        "ds_product_description": ds_product_description,
        "vr_price": vr_price,
        "id_product_type": id_product_type,
        "is_active": is_active,
    }
    cleaned = product_fields_clean(
        creating=product_id is None,
        fields={field: value for field, value in given.items() if value is not UNSET},
    )
    if "ds_product_name" in cleaned and product_name_taken(
        name=cleaned["ds_product_name"], exclude_product_id=product_id
    ):
        raise ProductNameTaken()
    return cleaned


def product_create(
    *,
    ds_product_name: str,
    vr_price: Decimal,
    id_product_type: str = ProductType.PRODUTO,
    ds_product_description: str | None = None,
    is_active: bool = True,
) -> Product:
    """Create a product (recorded as ``criado``). Raises ``InvalidInput`` (400) or
    ``ProductNameTaken`` (409)."""
    cleaned = product_clean(
        ds_product_name=ds_product_name,
        ds_product_description=ds_product_description,
        vr_price=vr_price,
        id_product_type=id_product_type,
        is_active=is_active,
    )
    product = Product(**cleaned)
    alias = _alias()
    try:
        with transaction.atomic(using=alias):
            product.save(using=alias, force_insert=True)
            _record(
                product_id=product.pk,
                action=ChangeAction.CRIADO,
                changes=field_changes({}, _values(product)),
            )
    except IntegrityError as exc:
        # Another request took the name between our check and our insert.
        raise ProductNameTaken() from exc
    return product


def product_update(
    *,
    product_id: UUID,
    ds_product_name: str | Unset = UNSET,
    ds_product_description: str | Unset | None = UNSET,
    vr_price: Decimal | Unset = UNSET,
    id_product_type: str | Unset = UNSET,
    is_active: bool | Unset = UNSET,
) -> Product:
    """Change only the fields passed (the seed's PUT is partial). Recorded with the fields whose
    value changed: ``desativado``/``reativado`` when only ``is_active`` changed, ``alterado``
    otherwise; nothing when no value changed.

    Raises ``ProductNotFound`` (404), ``InvalidInput`` (400) or ``ProductNameTaken`` (409).
    """
    alias = _alias()
    try:
        with transaction.atomic(using=alias):
            product = Product.objects.select_for_update().filter(cd_product=product_id).first()
            if product is None:
                raise ProductNotFound()
            cleaned = product_clean(
                product_id=product_id,
                ds_product_name=ds_product_name,
                ds_product_description=ds_product_description,
                vr_price=vr_price,
                id_product_type=id_product_type,
                is_active=is_active,
            )
            if cleaned:
                before = snapshot(product, AUDITED_FIELDS)
                for field, value in cleaned.items():
                    setattr(product, field, value)
                product.save(using=alias, update_fields=[*cleaned, "dt_product_updated_at"])
                changes = field_changes(before, snapshot(product, AUDITED_FIELDS))
                if changes:
                    action = ChangeAction.for_update(changes, active_field="is_active")
                    _record(product_id=product.pk, action=action, changes=changes)
    except IntegrityError as exc:
        raise ProductNameTaken() from exc
    return product


def _set_active(*, product_id: UUID, is_active: bool) -> Product:
    alias = _alias()
    with transaction.atomic(using=alias):
        product = Product.objects.select_for_update().filter(cd_product=product_id).first()
        if product is None:
            raise ProductNotFound()
        if product.is_active != is_active:
            product.is_active = is_active
            product.save(using=alias, update_fields=["is_active", "dt_product_updated_at"])
            _record(
                product_id=product_id,
                action=ChangeAction.REATIVADO if is_active else ChangeAction.DESATIVADO,
                changes={"is_active": [not is_active, is_active]},
            )
    return product


def product_activate(*, product_id: UUID) -> Product:
    """Make the product active again (idempotent). Raises ``ProductNotFound``."""
    return _set_active(product_id=product_id, is_active=True)


def product_deactivate(*, product_id: UUID) -> Product:
    """Soft delete: the product stays, inactive (idempotent). Raises ``ProductNotFound``."""
    return _set_active(product_id=product_id, is_active=False)


def _set_active_many(*, product_ids: Iterable[UUID], is_active: bool) -> int:
    ids = set(product_ids)
    if not ids:
        return 0
    alias = _alias()
    with transaction.atomic(using=alias):
        # Locked, so each product's event says exactly which ones this call switched.
        changing = list(
            Product.objects.select_for_update()
            .filter(cd_product__in=ids)
            .exclude(is_active=is_active)
            .values_list("cd_product", flat=True)
        )
        if not changing:
            return 0
        changed = Product.objects.filter(cd_product__in=changing).update(
            is_active=is_active, dt_product_updated_at=timezone.now()
        )
        ProductHistory.record_many(
            using=alias,
            rows=[
                {
                    "cd_product": product_id,
                    "ds_action": ChangeAction.REATIVADO if is_active else ChangeAction.DESATIVADO,
                    "ds_changes": {"is_active": [not is_active, is_active]},
                }
                for product_id in changing
            ],
        )
        return changed


def product_activate_many(*, product_ids: Iterable[UUID]) -> int:
    """Activate many products at once (admin action); returns how many changed."""
    return _set_active_many(product_ids=product_ids, is_active=True)


def product_deactivate_many(*, product_ids: Iterable[UUID]) -> int:
    """Deactivate many products at once (admin action); returns how many changed."""
    return _set_active_many(product_ids=product_ids, is_active=False)


def product_hard_delete_many(*, product_ids: Iterable[UUID]) -> int:
    """Remove products for good; returns how many were removed.

    Other domains may refuse first through the ``HARD_DELETE_GUARD`` guard (``Conflict``, 409:
    nothing is removed); ``HARD_DELETED_EVENT`` is published with the removed ids once our
    transaction has committed. The guards run before our transaction opens: they are another
    domain's work. Each removed product is recorded as ``excluido`` with the values it had.
    """
    ids = frozenset(product_ids)
    if not ids:
        return 0
    hooks.check_guards(HARD_DELETE_GUARD, ids=ids)
    alias = _alias()
    with transaction.atomic(using=alias):
        removed = list(Product.objects.select_for_update().filter(cd_product__in=ids))
        if not removed:
            return 0
        existing = {product.cd_product for product in removed}
        Product.objects.filter(cd_product__in=existing).delete()
        ProductHistory.record_many(
            using=alias,
            rows=[
                {
                    "cd_product": product.cd_product,
                    "ds_action": ChangeAction.EXCLUIDO,
                    "ds_changes": field_changes(_values(product), {}),
                }
                for product in removed
            ],
        )
        hooks.publish(HARD_DELETED_EVENT, ids=existing, using=alias)
    return len(existing)


def product_hard_delete(*, product_id: UUID) -> None:
    """Remove one product for good. Raises ``ProductNotFound`` or ``Conflict`` (a guard)."""
    if not Product.objects.filter(cd_product=product_id).exists():
        raise ProductNotFound()
    product_hard_delete_many(product_ids=[product_id])


def product_hard_delete_refusal(*, product_ids: Iterable[UUID]) -> str | None:
    """Why these products may not be removed for good (a guard's reason), or ``None``.

    Lets a screen (the admin's delete confirmation) say "no" before the staff confirms.
    """
    try:
        hooks.check_guards(HARD_DELETE_GUARD, ids=frozenset(product_ids))
    except Conflict as exc:
        return str(exc.message)
    return None


# --- Spreadsheet import (admin): preview, then all-or-nothing apply --------------------------
#
# Every row goes through ``validators.product_fields_clean`` (the API's rules and messages);
# the name's uniqueness is checked for the whole file at once (``selectors.products_matching``)
# and between rows. A row is matched to an existing product by ``cd_product`` when given, else
# by its name (case-insensitively); otherwise it is new. Only the columns present are written;
# an empty ``id_product_type`` or ``is_active`` cell keeps the default (new) or the current
# value.
# Cells are text: ``vr_price`` accepts ``1250.90`` or ``1250,90``; ``is_active`` ``true``/
# ``false`` (also ``sim``/``não``, ``1``/``0``).

IMPORT_KEY = "cd_product"
_TRUE = {"true", "sim", "s", "1", "yes"}
_FALSE = {"false", "não", "nao", "n", "0", "no"}
_PRICE_TEXT = re.compile(r"^-?\d+([.,]\d+)?$")


def _import_aliases() -> dict[str, str]:
    names = (IMPORT_KEY, *FIELD_CLEANERS)
    aliases = {name: name for name in names}
    for language in ("pt-br", "en"):
        with translation.override(language):
            for name in names:
                aliases.setdefault(str(Product._meta.get_field(name).verbose_name).lower(), name)
    return aliases


def _field_label(name: str) -> str:
    return str(Product._meta.get_field(name).verbose_name)


def _typed(name: str, text: str | None) -> Any:
    """A cell's text as the value the API's JSON would carry (the cleaners judge it)."""
    if text is None or not text.strip():
        if name in ("id_product_type", "is_active"):
            return UNSET
        return None
    value = text.strip()
    if name == "vr_price":
        return Decimal(value.replace(",", ".")) if _PRICE_TEXT.match(value) else value
    if name == "is_active":
        lowered = value.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else value
    if name == "id_product_type":
        return value.lower()
    return text


@dataclass
class _PlannedRow:
    line: int
    label: str
    fields: dict[str, Any]
    target: Product | None = None
    errors: list[str] = dataclass_field(default_factory=list)
    fate: str = ERROR


def _plan(table: Table) -> list[_PlannedRow]:
    positions, problems = header_index(header=table.header, aliases=_import_aliases())
    if "ds_product_name" not in positions and IMPORT_KEY not in positions:
        problems.append(_("A planilha precisa da coluna ds_product_name (nome) ou cd_product."))
    if problems:
        raise InvalidInput(" ".join(problems))

    planned: list[_PlannedRow] = []
    for row in table.rows:
        given = {
            name: _typed(name, cell(row, positions, name))
            for name in positions
            if name != IMPORT_KEY
        }
        entry = _PlannedRow(
            line=row.line,
            label=(cell(row, positions, "ds_product_name") or "").strip()
            if "ds_product_name" in positions
            else "",
            fields={},
        )
        raw_id = cell(row, positions, IMPORT_KEY) if IMPORT_KEY in positions else None
        if raw_id and raw_id.strip():
            try:
                entry.fields[IMPORT_KEY] = UUID(raw_id.strip())
            except ValueError:
                entry.errors.append(_("Código de produto inválido: %s.") % raw_id.strip())
        try:
            entry.fields.update(
                product_fields_clean(
                    creating=False,
                    fields={name: value for name, value in given.items() if value is not UNSET},
                )
            )
        except InvalidInput as error:
            for name, messages in error.message.items():
                entry.errors.extend(f"{_field_label(name)}: {message}" for message in messages)
        planned.append(entry)

    existing = selectors.products_matching(
        product_ids={row.fields[IMPORT_KEY] for row in planned if IMPORT_KEY in row.fields},
        names={row.fields["ds_product_name"] for row in planned if "ds_product_name" in row.fields},
    )
    owner_of_name = {product.ds_product_name.lower(): product for product in existing.values()}
    line_of_target: dict[UUID, int] = {}
    line_of_name: dict[str, int] = {}
    for entry in planned:
        if entry.errors:
            continue
        name = entry.fields.get("ds_product_name")
        if IMPORT_KEY in entry.fields:
            entry.target = existing.get(entry.fields[IMPORT_KEY])
            if entry.target is None:
                entry.errors.append(str(ProductNotFound.default_message))
                continue
        elif name:
            entry.target = owner_of_name.get(name.lower())
        target_id = entry.target.pk if entry.target else None
        if target_id is not None:
            if target_id in line_of_target:
                entry.errors.append(
                    _("Produto repetido na planilha (linha %d).") % line_of_target[target_id]
                )
            line_of_target.setdefault(target_id, entry.line)
        if name:
            owner = owner_of_name.get(name.lower())
            if owner is not None and owner.pk != target_id:
                entry.errors.append(str(ProductNameTaken.default_message))
            elif name.lower() in line_of_name and target_id is None:
                entry.errors.append(
                    _("Nome repetido na planilha (linha %d).") % line_of_name[name.lower()]
                )
            line_of_name.setdefault(name.lower(), entry.line)
        if entry.errors:
            continue
        if entry.target is None:
            missing = [field for field in REQUIRED_ON_CREATE if field not in entry.fields]
            if missing:
                entry.errors.extend(
                    f"{_field_label(field)}: {_('Este campo é obrigatório.')}" for field in missing
                )
                continue
            entry.fate = NEW
        else:
            entry.label = entry.label or entry.target.ds_product_name
            changed = any(
                getattr(entry.target, field) != value
                for field, value in entry.fields.items()
                if field != IMPORT_KEY
            )
            entry.fate = UPDATED if changed else UNCHANGED
    return planned


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


def product_import_preview(*, table: Table) -> ImportReport:
    """What applying ``table`` would do, row by row (nothing is written). ``InvalidInput``
    when the file itself is unusable (missing or repeated columns)."""
    return _report(_plan(table))


def product_import_apply(*, table: Table) -> ImportReport:
    """Apply ``table`` all or nothing (re-checked now: data may have changed since the
    preview). A row in error raises ``ImportRefused`` and nothing is written."""
    planned = _plan(table)
    report = _report(planned)
    if report.has_errors:
        raise ImportRefused(report)
    now = timezone.now()
    created: list[Product] = []
    updated: list[Product] = []
    history: list[dict] = []
    update_fields = {"dt_product_updated_at"}
    for entry in planned:
        fields = {name: value for name, value in entry.fields.items() if name != IMPORT_KEY}
        if entry.fate == NEW:
            created.append(Product(**fields))
        elif entry.fate == UPDATED:
            before = snapshot(entry.target, AUDITED_FIELDS)
            for name, value in fields.items():
                setattr(entry.target, name, value)
            changes = field_changes(before, snapshot(entry.target, AUDITED_FIELDS))
            if changes:
                action = ChangeAction.for_update(changes, active_field=ACTIVE_FIELD)
                history.append(
                    {"cd_product": entry.target.pk, "ds_action": action, "ds_changes": changes}
                )
            entry.target.dt_product_updated_at = now
            update_fields.update(fields)
            updated.append(entry.target)
    alias = _alias()
    try:
        with transaction.atomic(using=alias):
            Product.objects.using(alias).bulk_create(created, batch_size=1000)
            Product.objects.using(alias).bulk_update(
                updated, sorted(update_fields), batch_size=1000
            )
            # The audit trail, in the import's transaction: one event per row it created or
            # changed (old values as read for the plan).
            history += [
                {
                    "cd_product": row.pk,
                    "ds_action": ChangeAction.CRIADO,
                    "ds_changes": field_changes(
                        {},
                        {k: v for k, v in snapshot(row, AUDITED_FIELDS).items() if v is not None},
                    ),
                }
                for row in created
            ]
            ProductHistory.record_many(using=alias, rows=history)
    except IntegrityError:
        raise ProductNameTaken(
            _(
                "Outro usuário alterou produtos durante a importação; nada foi gravado. "
                "Gere a prévia de novo."
            )
        ) from None
    return report
