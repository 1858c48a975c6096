"""Writes of the ledger: record an entry, reverse one, remember idempotency keys.

The ledger is **append-only**: nothing here updates or deletes an entry. A mistake is
corrected by a reversal: the opposite type, same amount, linked to the original through
``reversal_of`` (one-to-one, so an entry is reversed at most once, enforced by the database).

Rules decided here (documented in ``docs/ledger.md``):

* The fields follow ``validators`` (money through ``crm.money``), whoever calls: the API, the
  admin's reversal action, a command.
* The customer is checked through the customers interface: unknown -> 404; **inactive
  (soft-deleted) -> 400**: reactivate it to record new entries. Reversals stay possible for an
  inactive customer (a correction must never be blocked).
* ``cd_product``, when given, is checked through the products interface: unknown -> 400
  ``"Produto não encontrado."``, inactive -> 400 ``"Produto inativo."`` (it is a body field, not
  the resource of the URL, so never a 404). A reversal keeps the original's product unchecked.
* Reversing a reversal -> 409; reversing an already reversed entry -> 409 (also under a race:
  the unique index refuses the second one).
* ``Idempotency-Key``: same user + same key + same request (operation and canonical body) ->
  the first answer is replayed and no row is added; another request under a live key -> 409.
  Keys live ``IDEMPOTENCY_KEY_TTL`` (24 hours).
* Every entry written (posted or reversal) gets its ``TransactionHistory`` row in the same
  transaction: the author is the ``user_id`` the entry records, the client IP comes from
  ``crm.audit.current_actor()``. A replayed answer writes nothing, so it adds no row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.api.exceptions import Conflict, InvalidInput
from crm.db.router import alias_for_app

from .. import gateways
from . import selectors
from .models import IdempotencyKey, LedgerAction, Transaction, TransactionHistory, TransactionType
from .validators import transaction_clean

ALIAS = alias_for_app("interactions")

#: How long an ``Idempotency-Key`` is remembered: covers client retries (seconds to hours,
#: including a retry after a night's outage), short enough to keep the table small.
IDEMPOTENCY_KEY_TTL = dt.timedelta(hours=24)


@dataclass(frozen=True)
class IdempotencyRequest:
    """What identifies one client request under an ``Idempotency-Key``."""

    key: str
    fingerprint: str


@dataclass(frozen=True)
class LedgerWrite:
    """The entry a POST produced, and whether it is the replay of an earlier answer."""

    transaction: Transaction
    replayed: bool = False


def request_fingerprint(*, operation: str, body: Any) -> str:
    """sha256 of the operation (``"POST /api/customers/<uuid>/transactions"``) and the body as
    canonical JSON (sorted keys; numbers and strings as their text, so ``0.1`` and ``"0.1"``
    are the same amount)."""

    def canonical(value: Any) -> Any:
        if hasattr(value, "lists"):  # QueryDict (form posts)
            return {key: [canonical(v) for v in values] for key, values in value.lists()}
        if isinstance(value, dict):
            return {str(key): canonical(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [canonical(item) for item in value]
        if isinstance(value, bool) or value is None:
            return value
        return str(value)

    payload = json.dumps(
        {"operation": operation, "body": canonical(body)},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- idempotency -------------------------------------------------------------------------------


def _live_since() -> dt.datetime:
    return timezone.now() - IDEMPOTENCY_KEY_TTL


def _replay(*, user_id: UUID, idempotency: IdempotencyRequest | None) -> LedgerWrite | None:
    """The earlier answer under this key, ``None`` when the key is new; 409 if it was used for
    another request."""
    if idempotency is None:
        return None
    stored = selectors.idempotency_key_get(
        user_id=user_id, key=idempotency.key, since=_live_since()
    )
    if stored is None:
        return None
    if stored.ds_fingerprint != idempotency.fingerprint:
        raise Conflict(_("Idempotency-Key já usada com outra requisição."))
    return LedgerWrite(transaction=stored.transaction, replayed=True)


def _remember(*, user_id: UUID, idempotency: IdempotencyRequest, entry: Transaction) -> None:
    """Store the key in the caller's atomic block (so it commits or rolls back with the entry).
    An expired row under the same key is removed first: expired keys may be reused."""
    IdempotencyKey.objects.filter(
        cd_user=user_id, ds_key=idempotency.key, dt_created_at__lt=_live_since()
    ).delete()
    IdempotencyKey.objects.create(
        cd_user=user_id,
        ds_key=idempotency.key,
        ds_fingerprint=idempotency.fingerprint,
        transaction=entry,
    )


def idempotency_keys_purge(*, older_than: dt.timedelta = IDEMPOTENCY_KEY_TTL) -> int:
    """Delete keys recorded more than ``older_than`` ago; returns how many."""
    cutoff = timezone.now() - older_than
    deleted, _details = IdempotencyKey.objects.filter(dt_created_at__lt=cutoff).delete()
    return deleted


# --- entries -----------------------------------------------------------------------------------


def _check_product(product_id: UUID) -> None:
    try:
        product = gateways.product_get_summary(product_id=product_id)
    except gateways.ProductNotFound:
        raise InvalidInput(_("Produto não encontrado.")) from None
    if not product.is_active:
        raise InvalidInput(_("Produto inativo."))


def transaction_create(
    *,
    customer_id: UUID,
    user_id: UUID,
    vr_transaction: Decimal,
    id_transaction_type: int,
    dt_transaction: dt.date | None = None,
    ds_transaction: str | None = None,
    cd_product: UUID | None = None,
    idempotency: IdempotencyRequest | None = None,
) -> LedgerWrite:
    """Record one entry for an active customer. See the module docstring for the rules."""
    replay = _replay(user_id=user_id, idempotency=idempotency)
    if replay is not None:
        return replay
    fields = transaction_clean(
        vr_transaction=vr_transaction,
        id_transaction_type=id_transaction_type,
        dt_transaction=dt_transaction,
        ds_transaction=ds_transaction,
    )

    # Other domains are asked before (never inside) our atomic block.
    customer = gateways.customer_get_summary(customer_id=customer_id)
    if not customer.is_customer_active:
        raise InvalidInput(_("Cliente inativo: reative-o para registrar lançamentos."))
    if cd_product is not None:
        _check_product(cd_product)

    entry = Transaction(cd_customer=customer_id, cd_user=user_id, cd_product=cd_product, **fields)
    try:
        with transaction.atomic(using=ALIAS):
            entry.save(using=ALIAS, force_insert=True)
            TransactionHistory.record(
                using=ALIAS, transaction=entry, ds_action=LedgerAction.LANCADO, cd_user=user_id
            )
            if idempotency is not None:
                _remember(user_id=user_id, idempotency=idempotency, entry=entry)
    except IntegrityError:
        # A concurrent request under the same key won the unique index: replay its answer.
        replay = _replay(user_id=user_id, idempotency=idempotency)
        if replay is None:
            raise
        return replay
    return LedgerWrite(transaction=entry)


def transaction_reverse(
    *,
    customer_id: UUID,
    transaction_id: UUID,
    user_id: UUID,
    ds_transaction: str | None = None,
    idempotency: IdempotencyRequest | None = None,
) -> LedgerWrite:
    """Record the reversal of one entry of this customer: opposite type, same amount and
    product, dated today, linked through ``reversal_of``. 404 when the entry is unknown or
    another customer's; 409 when it is a reversal itself or already reversed."""
    replay = _replay(user_id=user_id, idempotency=idempotency)
    if replay is not None:
        return replay
    description = transaction_clean(ds_transaction=ds_transaction)["ds_transaction"]

    # 404 for an unknown customer, or an entry unknown or another customer's.
    original = selectors.transaction_get(customer_id=customer_id, transaction_id=transaction_id)
    if original.reversal_of_id is not None:
        raise Conflict(_("Um estorno não pode ser estornado; registre um novo lançamento."))
    if selectors.transaction_is_reversed(transaction_id=original.cd_transaction):
        raise Conflict(_("Este lançamento já foi estornado."))

    opposite = (
        TransactionType.SAIDA
        if original.id_transaction_type == TransactionType.ENTRADA
        else TransactionType.ENTRADA
    )
    reversal = Transaction(
        cd_customer=original.cd_customer,
        cd_user=user_id,
        cd_product=original.cd_product,
        vr_transaction=original.vr_transaction,
        id_transaction_type=opposite,
        dt_transaction=timezone.localdate(),
        ds_transaction=description
        or _("Estorno do lançamento %(id)s") % {"id": original.cd_transaction},
        reversal_of=original,
    )
    try:
        with transaction.atomic(using=ALIAS):
            reversal.save(using=ALIAS, force_insert=True)
            TransactionHistory.record(
                using=ALIAS,
                transaction=reversal,
                ds_action=LedgerAction.ESTORNADO,
                cd_user=user_id,
            )
            if idempotency is not None:
                _remember(user_id=user_id, idempotency=idempotency, entry=reversal)
    except IntegrityError:
        replay = _replay(user_id=user_id, idempotency=idempotency)
        if replay is not None:
            return replay
        if selectors.transaction_is_reversed(transaction_id=original.cd_transaction):
            raise Conflict(_("Este lançamento já foi estornado.")) from None
        raise
    return LedgerWrite(transaction=reversal)


# --- guards on other domains' hard deletes (registered in ``apps.py``) ---------------------------


def customer_hard_delete_refusal(customer_ids: frozenset[UUID]) -> str | None:
    """Guard on ``customer.hard_delete``: a ledger is append-only, its customer must stay."""
    if selectors.customers_with_entries(customer_ids=customer_ids):
        return _(
            "Não é possível excluir definitivamente: o cliente possui lançamentos financeiros."
        )
    return None


def product_hard_delete_refusal(product_ids: frozenset[UUID]) -> str | None:
    """Guard on ``product.hard_delete``: entries keep the product they name."""
    if selectors.products_with_entries(product_ids=product_ids):
        return _(
            "Produto referenciado por lançamentos financeiros não pode ser excluído "
            "definitivamente; desative-o."
        )
    return None


def ledger_totals_rebuild() -> tuple[int, int]:
    """Recompute the per-customer and per-day totals from every entry (``manage.py
    ledger_verify --rebuild``). Writers of entries wait meanwhile (PostgreSQL: a lock that
    still lets readers in), so no entry is counted twice or missed. Returns how many customers
    and days hold entries."""
    connection = connections[ALIAS]
    rebuilt = []
    with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Transaction._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        for model, key, _label in selectors.TOTALS_TABLES:
            totals = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {totals}")  # noqa: S608 - a model's table name
            cursor.execute(
                f"INSERT INTO {totals} "
                f"({key}, vr_entradas_cents, vr_saidas_cents, qt_transactions) "
                + selectors.recomputed_totals_sql(key)
            )
            rebuilt.append(cursor.rowcount)
    return rebuilt[0], rebuilt[1]
