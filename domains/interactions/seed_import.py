"""Writes of the interactions domain for ``import_seed``: the seed monolith's ``interaction``
(timeline) and ``transaction`` (ledger) rows, in batches.

Self-contained on purpose (one module, re-exported by ``interface``): the timeline and the
ledger keep their everyday code untouched. Rules are the API's, reused from its fields:
* interaction: ``ds_notes`` as the API takes it (trimmed, 5..5000 characters); the seed's
  upper-case enum labels mapped to ours (``VENDA`` -> ``venda``...); dates in 1900..2999.
* ledger entry: ``ENTRADA`` -> 1, ``SAIDA`` -> 2; the seed recorded many saídas as *negative*
  amounts, stored here as the positive amount of a type 2 entry (our ledger's sign is the type);
  a negative entrada is ambiguous and refused; the amount then follows the API's rules (> 0, at
  most 2 places, up to 9 999 999 999.99). History is kept for inactive customers too.
* both: the customer must exist (asked in batches through the customers interface, as the API
  does); the author (``cd_user``) is kept as it is even when the user was not imported: it is a
  reference, and importing that user later (same UUID) makes it whole again.
A row whose UUID is already here is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar
from uuid import UUID

from django.db import transaction
from rest_framework.exceptions import ValidationError as FieldError

from crm.bulk_import import ImportOutcome, OutcomeCounter, batched, insert_as_given
from crm.db.router import alias_for_app

from . import gateways
from .api.ledger_serializers import MoneyField
from .api.timeline_serializers import FIRST_YEAR, LAST_YEAR, InteractionInputSerializer
from .models import Interaction, Transaction, TransactionType

INTERACTION_TABLE = "interaction"
TRANSACTION_TABLE = "transaction"
CUSTOMER_MISSING = "Cliente não encontrado (ausente ou recusado na importação de clientes)."
#: The enum's labels (schema.md), and the numbers some seed revisions stored instead.
SEED_TRANSACTION_TYPES = {
    "ENTRADA": TransactionType.ENTRADA,
    "SAIDA": TransactionType.SAIDA,
    "1": TransactionType.ENTRADA,
    "2": TransactionType.SAIDA,
}

Row = TypeVar("Row", "SeedInteraction", "SeedTransaction")


@dataclass(frozen=True)
class SeedInteraction:
    """An interaction as the seed monolith stored it (type: the enum's label, e.g. ``VENDA``;
    timestamps aware, UTC)."""

    cd_interaction: UUID
    cd_customer: UUID
    cd_user: UUID
    ds_notes: str | None
    id_interaction_type: str | None
    dt_interaction: dt.datetime
    dt_created_at: dt.datetime


@dataclass(frozen=True)
class SeedTransaction:
    """A ledger entry as the seed monolith stored it (type ``ENTRADA``/``SAIDA``; the amount
    signed as the seed wrote it; creation time aware, UTC)."""

    cd_transaction: UUID
    cd_customer: UUID
    cd_user: UUID
    vr_transaction: Decimal
    id_transaction_type: str | None
    dt_transaction: dt.date
    dt_created_at: dt.datetime


@dataclass(frozen=True)
class HistoryImportOutcome:
    interactions: ImportOutcome
    transactions: ImportOutcome


def _first_message(error: FieldError) -> str:
    detail = error.detail
    while isinstance(detail, list | dict):
        detail = next(iter(detail.values() if isinstance(detail, dict) else detail))
    return str(detail)


def _new_rows(
    rows: list[Row], *, model: type, key: str, counter: OutcomeCounter, known: frozenset[UUID]
) -> list[Row]:
    """The rows of a batch that are neither present already (by UUID) nor of a missing
    customer (refused); two queries whatever the batch size."""
    present = set(
        model.objects.filter(pk__in=[getattr(row, key) for row in rows]).values_list(
            "pk", flat=True
        )
    )
    customers = {row.cd_customer for row in rows} - known
    existing = set(gateways.customer_summaries(customer_ids=customers)) if customers else set()
    fresh = []
    for row in rows:
        if getattr(row, key) in present:
            counter.already_present += 1
        elif row.cd_customer not in existing and row.cd_customer not in known:
            counter.refuse(
                getattr(row, key), CUSTOMER_MISSING, field="cd_customer", value=row.cd_customer
            )
        else:
            fresh.append(row)
    return fresh


def _import_interactions(
    rows: Iterable[SeedInteraction], *, alias: str, known: frozenset[UUID]
) -> ImportOutcome:
    counter = OutcomeCounter(INTERACTION_TABLE)
    fields = InteractionInputSerializer().fields
    for batch in batched(rows):
        counter.read += len(batch)
        objects = []
        for row in _new_rows(
            batch, model=Interaction, key="cd_interaction", counter=counter, known=known
        ):
            label = (row.id_interaction_type or "").strip().lower()
            try:
                notes = fields["ds_notes"].run_validation(row.ds_notes)
            except FieldError as error:
                counter.refuse(row.cd_interaction, _first_message(error), field="ds_notes")
                continue
            try:
                kind = fields["id_interaction_type"].run_validation(label)
            except FieldError as error:
                counter.refuse(
                    row.cd_interaction,
                    _first_message(error),
                    field="id_interaction_type",
                    value=row.id_interaction_type,
                )
                continue
            if not FIRST_YEAR <= row.dt_interaction.year <= LAST_YEAR:
                counter.refuse(
                    row.cd_interaction,
                    "Data fora do intervalo aceito (anos 1900 a 2999).",
                    field="dt_interaction",
                    value=row.dt_interaction.isoformat(),
                )
                continue
            objects.append(
                Interaction(
                    cd_interaction=row.cd_interaction,
                    cd_customer=row.cd_customer,
                    cd_user=row.cd_user,
                    ds_notes=notes,
                    id_interaction_type=kind,
                    dt_interaction=row.dt_interaction,
                    dt_created_at=row.dt_created_at,
                )
            )
        insert_as_given(Interaction, objects, using=alias)
        counter.imported += len(objects)
    return counter.outcome()


def _import_transactions(
    rows: Iterable[SeedTransaction], *, alias: str, known: frozenset[UUID]
) -> ImportOutcome:
    counter = OutcomeCounter(TRANSACTION_TABLE)
    money = MoneyField()
    for batch in batched(rows):
        counter.read += len(batch)
        objects = []
        for row in _new_rows(
            batch, model=Transaction, key="cd_transaction", counter=counter, known=known
        ):
            kind = SEED_TRANSACTION_TYPES.get((row.id_transaction_type or "").strip().upper())
            if kind is None:
                counter.refuse(
                    row.cd_transaction,
                    "Tipo inválido: use ENTRADA ou SAIDA.",
                    field="id_transaction_type",
                    value=row.id_transaction_type,
                )
                continue
            amount = row.vr_transaction
            if kind == TransactionType.SAIDA and amount is not None and amount < 0:
                amount = -amount  # the seed's way of writing a saída
            elif kind == TransactionType.ENTRADA and amount is not None and amount < 0:
                counter.refuse(
                    row.cd_transaction,
                    "Entrada com valor negativo: não se sabe se é entrada ou saída; corrija o "
                    "tipo ou o sinal na origem.",
                    field="vr_transaction",
                    value=amount,
                )
                continue
            try:
                amount = money.run_validation(amount)
            except FieldError as error:
                counter.refuse(
                    row.cd_transaction,
                    _first_message(error),
                    field="vr_transaction",
                    value=row.vr_transaction,
                )
                continue
            objects.append(
                Transaction(
                    cd_transaction=row.cd_transaction,
                    cd_customer=row.cd_customer,
                    cd_user=row.cd_user,
                    vr_transaction=amount,
                    id_transaction_type=kind,
                    dt_transaction=row.dt_transaction,
                    dt_created_at=row.dt_created_at,
                )
            )
        insert_as_given(Transaction, objects, using=alias)
        counter.imported += len(objects)
    return counter.outcome()


def history_import(
    *,
    interactions: Iterable[SeedInteraction],
    transactions: Iterable[SeedTransaction],
    customers_known: frozenset[UUID] = frozenset(),
    dry_run: bool = False,
) -> HistoryImportOutcome:
    """Bring the seed's timeline and ledger over: all or nothing for the domain (one
    transaction on the interactions alias). ``customers_known``: customers to count as
    existing although the customers domain does not hold them (a dry run of the whole import
    brings them in the same run). ``dry_run``: the same work, rolled back at the end."""
    alias = alias_for_app("interactions")
    with transaction.atomic(using=alias):
        timeline = _import_interactions(interactions, alias=alias, known=customers_known)
        ledger = _import_transactions(transactions, alias=alias, known=customers_known)
        if dry_run:
            transaction.set_rollback(True, using=alias)
    return HistoryImportOutcome(interactions=timeline, transactions=ledger)
