"""Writes of the ledger for ``import_seed``: the seed monolith's ``transaction`` rows, in
batches, through the ledger's own ``validators`` (the API's rules).

* ``ENTRADA`` -> 1, ``SAIDA`` -> 2 (early seed revisions stored ``1``/``2``: accepted too);
* the seed recorded many saídas as *negative* amounts: stored as the positive amount of a type 2
  entry (our ledger's sign is the type); a negative entrada is ambiguous and refused; the
  amount then follows ``crm.money`` (> 0, at most 2 places, up to 9 999 999 999.99);
* no product, no description (the seed had neither); history is kept for inactive customers;
* the customer must exist (asked through the customers interface, in batches); the author
  (``cd_user``) is kept as it is, like the timeline's;
* an entry whose ``cd_transaction`` is already here is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from django.db import transaction

from crm.api.exceptions import InvalidInput
from crm.bulk_import import ImportOutcome, OutcomeCounter, batched, insert_as_given

from .. import gateways
from .models import Transaction, TransactionType
from .records import SeedTransaction
from .services import ALIAS
from .validators import transaction_clean

TABLE = "transaction"
CUSTOMER_MISSING = "Cliente não encontrado (ausente ou recusado na importação de clientes)."
#: The enum's labels (schema.md), and the numbers early seed revisions stored instead.
SEED_TRANSACTION_TYPES = {
    "ENTRADA": TransactionType.ENTRADA,
    "SAIDA": TransactionType.SAIDA,
    "1": TransactionType.ENTRADA,
    "2": TransactionType.SAIDA,
}
NEGATIVE_ENTRADA = (
    "Entrada com valor negativo: não se sabe se é entrada ou saída; corrija o tipo ou o sinal "
    "na origem."
)


def _customers_missing(customer_ids: set[UUID], *, known: frozenset[UUID]) -> set[UUID]:
    """Those of ``customer_ids`` neither known to this run nor held by the customers domain
    (one call through its interface, as the API asks)."""
    asked = customer_ids - known
    return asked - set(gateways.customer_summaries(customer_ids=asked)) if asked else set()


def _amount_and_type(row: SeedTransaction, counter: OutcomeCounter) -> tuple[Decimal, int] | None:
    kind = SEED_TRANSACTION_TYPES.get((row.id_transaction_type or "").strip().upper())
    if kind is None:
        counter.refuse(
            row.cd_transaction,
            "Tipo inválido: use ENTRADA ou SAIDA.",
            field="id_transaction_type",
            value=row.id_transaction_type,
        )
        return None
    amount = row.vr_transaction
    if amount is not None and amount < 0:
        if kind == TransactionType.ENTRADA:
            counter.refuse(
                row.cd_transaction, NEGATIVE_ENTRADA, field="vr_transaction", value=amount
            )
            return None
        amount = -amount  # the seed's way of writing a saída
    return amount, kind


def transactions_import(
    *,
    rows: Iterable[SeedTransaction],
    customers_known: frozenset[UUID] = frozenset(),
    dry_run: bool = False,
) -> ImportOutcome:
    """Bring the seed's ledger entries over; all or nothing (one transaction on the domain's
    alias). ``customers_known``: customers to count as existing although the customers domain
    does not hold them (a dry run of the whole import). ``dry_run``: the same work, rolled
    back at the end."""
    counter = OutcomeCounter(TABLE)
    with transaction.atomic(using=ALIAS):
        for batch in batched(rows):
            counter.read += len(batch)
            present = set(
                Transaction.objects.filter(
                    cd_transaction__in=[row.cd_transaction for row in batch]
                ).values_list("cd_transaction", flat=True)
            )
            fresh = [row for row in batch if row.cd_transaction not in present]
            counter.already_present += len(batch) - len(fresh)
            missing = _customers_missing({row.cd_customer for row in fresh}, known=customers_known)
            objects = []
            for row in fresh:
                if row.cd_customer in missing:
                    counter.refuse(
                        row.cd_transaction,
                        CUSTOMER_MISSING,
                        field="cd_customer",
                        value=row.cd_customer,
                    )
                    continue
                signed = _amount_and_type(row, counter)
                if signed is None:
                    continue
                try:
                    fields = transaction_clean(
                        vr_transaction=signed[0],
                        id_transaction_type=signed[1],
                        dt_transaction=row.dt_transaction,
                    )
                except InvalidInput as error:
                    for field, messages in error.message.items():
                        counter.refuse(
                            row.cd_transaction,
                            messages[0],
                            field=field,
                            value=getattr(row, field, ""),
                        )
                    continue
                objects.append(
                    Transaction(
                        cd_transaction=row.cd_transaction,
                        cd_customer=row.cd_customer,
                        cd_user=row.cd_user,
                        dt_created_at=row.dt_created_at,
                        **fields,
                    )
                )
            insert_as_given(Transaction, objects, using=ALIAS)
            counter.imported += len(objects)
        if dry_run:
            transaction.set_rollback(True, using=ALIAS)
    return counter.outcome()
