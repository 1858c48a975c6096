"""Demo ledger for ``manage.py seed_demo`` (through ``interface.transaction_demo_load``).

Which customer each entry belongs to, who recorded it and which products exist are given by
the caller (plain ids from the other domains); this module only invents the content, valid
under the ledger's rules: about three quarters ``entrada`` (sales priced from the products'
prices x a quantity, or invoices), a quarter ``saída`` (refunds, discounts, commissions);
amounts > 0 with two decimals; dated between the customer's arrival and ``end_date``. About
0.5% of the entries of a chunk are reversed by a later entry of the chunk (opposite type, same
amount and product, ``cd_reversal_of`` set), as ``/reverse`` would record them; an entry is
never reversed twice and a reversal is never reversed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from uuid import UUID

from crm import demo
from crm.db.bulk import bulk_insert, bulk_loading, table_truncate

from .models import IdempotencyKey, Transaction, TransactionType

FIELDS = (
    "cd_transaction",
    "cd_customer",
    "cd_user",
    "cd_product",
    "vr_transaction",
    "id_transaction_type",
    "dt_transaction",
    "ds_transaction",
    "reversal_of",
    "dt_created_at",
)

INCOME_TEXTS = ("Venda", "Pedido", "Recebimento de fatura", "Mensalidade", "Pagamento via PIX")
EXPENSE_TEXTS = ("Reembolso ao cliente", "Desconto concedido", "Devolução", "Comissão", "Bônus")
ENTRADA_SHARE = 0.75
REVERSAL_SHARE = 0.005


def _dates(rng, since: dt.datetime, end: dt.datetime) -> dt.datetime:
    return demo.moment_between(rng, max(since, end - dt.timedelta(days=demo.HISTORY_DAYS)), end)


def _amount(cents: int) -> Decimal:
    return Decimal(max(cents, 1)).scaleb(-2)


def transaction_rows(
    *,
    seed: int,
    first: int,
    customers: Sequence[tuple[UUID, dt.datetime]],
    user_ids: Sequence[UUID],
    products: Sequence[tuple[UUID, Decimal]],
    end_date: dt.date,
):
    rng = demo.demo_random(seed, "transactions", first)
    end = demo.history_end(end_date)
    reversible: list[tuple] = []  # entries of this chunk that may still be reversed
    for customer_id, since in customers:
        if reversible and rng.random() < REVERSAL_SHARE:
            original = reversible.pop(demo.below(rng, len(reversible)))
            original_day = original[6]
            day = min(original_day + dt.timedelta(days=demo.below(rng, 15, 0)), end_date)
            yield (
                demo.demo_uuid(rng),
                original[1],
                demo.pick(rng, user_ids),
                original[3],
                original[4],
                int(TransactionType.SAIDA if original[5] == TransactionType.ENTRADA else 1),
                day,
                f"Estorno do lançamento {original[0]}",
                original[0],
                demo.moment_between(
                    rng, max(original[9], _midnight(day)), _midnight(day) + dt.timedelta(days=1)
                ),
            )
            continue
        when = _dates(rng, since, end)
        product_id = None
        if rng.random() < ENTRADA_SHARE:
            kind = TransactionType.ENTRADA
            if products and rng.random() < 0.7:
                product_id, price = demo.pick(rng, products)
                quantity = demo.pick(rng, (1, 1, 1, 2, 2, 3, 5, 10))
                amount = price * quantity if price > 0 else _amount(demo.below(rng, 50000, 1000))
                text = f"{demo.pick(rng, INCOME_TEXTS)} - {quantity} un."
            else:
                amount = _amount(int(rng.lognormvariate(11.5, 1.1)))  # ~R$ 1.000 typical
                text = f"{demo.pick(rng, INCOME_TEXTS)} {demo.below(rng, 99999, 1000)}"
        else:
            kind = TransactionType.SAIDA
            amount = _amount(int(rng.lognormvariate(9.5, 1.2)))  # ~R$ 130 typical
            text = demo.pick(rng, EXPENSE_TEXTS)
        row = (
            demo.demo_uuid(rng),
            customer_id,
            demo.pick(rng, user_ids),
            product_id,
            min(amount, Decimal("9999999999.99")),
            int(kind),
            when.date(),
            text if rng.random() < 0.9 else None,
            None,
            min(when + dt.timedelta(minutes=demo.below(rng, 600, 0)), end),
        )
        reversible.append(row)
        yield row


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def transaction_demo_load(
    *,
    seed: int,
    customers: Iterable[Sequence[tuple[UUID, dt.datetime]]],
    user_ids: Sequence[UUID],
    products: Sequence[tuple[UUID, Decimal]],
    end_date: dt.date,
) -> Iterator[int]:
    with bulk_loading(models=[Transaction]):
        first = 0
        for chunk in customers:
            rows = transaction_rows(
                seed=seed,
                first=first,
                customers=chunk,
                user_ids=user_ids,
                products=products,
                end_date=end_date,
            )
            yield bulk_insert(model=Transaction, fields=FIELDS, rows=rows)
            first += len(chunk)


def transaction_demo_counts() -> dict[str, int]:
    return {"transaction": Transaction.objects.count()}


def transaction_demo_clear() -> None:
    # Referencing table first (the idempotency keys point at entries).
    table_truncate(models=[IdempotencyKey, Transaction])
