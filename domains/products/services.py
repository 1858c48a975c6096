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
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm import hooks
from crm.api.exceptions import Conflict
from crm.audit import field_changes, snapshot
from crm.db.router import alias_for_app
from crm.models import ChangeAction

from .errors import ProductNameTaken, ProductNotFound
from .interface import HARD_DELETE_GUARD, HARD_DELETED_EVENT
from .models import Product, ProductHistory, ProductType
from .selectors import product_name_taken
from .validators import product_fields_clean


class Unset(enum.Enum):
    """A keyword the caller did not pass (partial updates): ``None`` is a value."""

    UNSET = "UNSET"


UNSET = Unset.UNSET


def _alias() -> str:
    return alias_for_app(Product._meta.app_label)


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
