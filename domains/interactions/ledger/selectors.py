"""Reads of the ledger: entries, a customer's balance, the monthly cash flow.

The balance and the cash flow read the totals the database keeps per customer and per day
(``LedgerCustomerTotals``, ``LedgerDailyTotals``, maintained by triggers): one row, or one row
per day of the period, however many entries there are. ``ledger_totals_differences``
recomputes them from every entry to prove it (``manage.py ledger_verify``).

Money is summed **in the database** as whole cents (``ROUND(vr * 100)`` cast to a big integer)
and turned back into ``Decimal`` here: exact on PostgreSQL (``numeric``) and on SQLite too,
where a ``decimal`` column is stored as a binary float and a plain ``SUM`` could drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from uuid import UUID

from django.db import connections
from django.db.models import BigIntegerField, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round, TruncMonth
from django.utils import timezone

from crm.api.query import filter_queryset, filterset_validated
from crm.db.queries import keyed_list, unique_row_by

from .. import gateways
from .errors import TransactionNotFound
from .filters import SummaryFilter, TransactionFilter
from .models import (
    IdempotencyKey,
    LedgerCustomerTotals,
    LedgerDailyTotals,
    Transaction,
    TransactionType,
)
from .records import LedgerTotals

ENTRADA = Q(id_transaction_type=TransactionType.ENTRADA)
SAIDA = Q(id_transaction_type=TransactionType.SAIDA)
#: The ledger list's order: entry date, then recording time, newest first.
NEWEST_FIRST = ("-dt_transaction", "-dt_created_at", "-cd_transaction")


@dataclass(frozen=True)
class MonthTotals:
    month: str  # "YYYY-MM"
    totals: LedgerTotals


@dataclass(frozen=True)
class CashFlow:
    """The cash-flow summary: totals per calendar month and for the whole period."""

    months: list[MonthTotals]
    totals: LedgerTotals
    date_from: dt.date | None
    date_to: dt.date | None


def _cents(condition: Q) -> Coalesce:
    cents = Cast(Round(F("vr_transaction") * 100), output_field=BigIntegerField())
    return Coalesce(Sum(cents, filter=condition), Value(0), output_field=BigIntegerField())


def _totals_aggregates() -> dict:
    return {
        "entradas_cents": _cents(ENTRADA),
        "saidas_cents": _cents(SAIDA),
        "quantity": Count("cd_transaction"),
    }


def _money(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _totals(entradas_cents: int, saidas_cents: int, quantity: int) -> LedgerTotals:
    return LedgerTotals(
        vr_total_entradas=_money(entradas_cents),
        vr_total_saidas=_money(saidas_cents),
        vr_saldo=_money(entradas_cents - saidas_cents),
        qt_transactions=int(quantity),
    )


def transaction_list(
    *, customer_id: UUID, filters: Mapping[str, str] | None = None
) -> QuerySet[Transaction]:
    """A customer's entries, newest first (date, then recording time), narrowed by
    ``TransactionFilter``. Raises ``CustomerNotFound`` (404), or ``InvalidInput`` (400) for a
    filter value it cannot use."""
    gateways.customer_get_summary(customer_id=customer_id)
    queryset = keyed_list(Transaction, ordering=NEWEST_FIRST, cd_customer=customer_id)
    return filter_queryset(TransactionFilter, data=filters, queryset=queryset)


def transaction_get(*, customer_id: UUID, transaction_id: UUID) -> Transaction:
    """One entry of this customer; another customer's is as unknown as a missing one.
    Raises ``CustomerNotFound`` or ``TransactionNotFound`` (404)."""
    gateways.customer_get_summary(customer_id=customer_id)
    entry = unique_row_by(Transaction, cd_customer=customer_id, cd_transaction=transaction_id)
    if entry is None:
        raise TransactionNotFound()
    return entry


def transaction_is_reversed(*, transaction_id: UUID) -> bool:
    return Transaction.objects.filter(reversal_of_id=transaction_id).exists()


def customer_balance(*, customer_id: UUID) -> LedgerTotals:
    """Totals of one customer's entries: one primary-key read of the totals the database
    keeps. An unknown customer has a zero balance (no existence check: ``customer_balance_get``
    makes one)."""
    row = unique_row_by(
        LedgerCustomerTotals,
        cd_customer=customer_id,
        values=("vr_entradas_cents", "vr_saidas_cents", "qt_transactions"),
    )
    return _totals(*(row or (0, 0, 0)))


def customer_balance_get(*, customer_id: UUID) -> LedgerTotals:
    """``customer_balance`` of a customer that exists; raises ``CustomerNotFound`` (404)."""
    gateways.customer_get_summary(customer_id=customer_id)
    return customer_balance(customer_id=customer_id)


def customers_with_entries(*, customer_ids: Iterable[UUID]) -> set[UUID]:
    """Which of these customers hold at least one ledger entry (one query)."""
    ids = set(customer_ids)
    if not ids:
        return set()
    return set(
        Transaction.objects.filter(cd_customer__in=ids)
        .values_list("cd_customer", flat=True)
        .distinct()
        .order_by()
    )


def products_with_entries(*, product_ids: Iterable[UUID]) -> set[UUID]:
    """Which of these products are referenced by at least one ledger entry (one query)."""
    ids = set(product_ids)
    if not ids:
        return set()
    return set(
        Transaction.objects.filter(cd_product__in=ids)
        .values_list("cd_product", flat=True)
        .distinct()
    )


def cash_flow_summary(*, filters: Mapping[str, str] | None = None) -> CashFlow:
    """Cash flow per calendar month across all customers, and the grand total, between
    ``date_from`` and ``date_to`` (``SummaryFilter``; ``InvalidInput`` when invalid). One query
    over the daily totals: O(days of the period), not O(entries)."""
    filterset = filterset_validated(SummaryFilter, data=filters, queryset=Transaction.objects.all())
    date_from = filterset.form.cleaned_data.get("date_from")
    date_to = filterset.form.cleaned_data.get("date_to")
    days = LedgerDailyTotals.objects.all()
    if date_from:
        days = days.filter(dt_transaction__gte=date_from)
    if date_to:
        days = days.filter(dt_transaction__lte=date_to)
    rows = (
        days.annotate(month=TruncMonth("dt_transaction"))
        .values("month")
        .annotate(
            entradas_cents=Sum("vr_entradas_cents"),
            saidas_cents=Sum("vr_saidas_cents"),
            quantity=Sum("qt_transactions"),
        )
        .filter(quantity__gt=0)  # a day whose entries a DBA deleted keeps a zero row
        .order_by("month")
    )
    months = []
    entradas = saidas = quantity = 0
    for row in rows:
        months.append(
            MonthTotals(
                month=row["month"].strftime("%Y-%m"),
                totals=_totals(row["entradas_cents"], row["saidas_cents"], row["quantity"]),
            )
        )
        entradas += int(row["entradas_cents"])
        saidas += int(row["saidas_cents"])
        quantity += int(row["quantity"])
    return CashFlow(
        months=months,
        totals=_totals(entradas, saidas, quantity),
        date_from=date_from,
        date_to=date_to,
    )


#: The totals tables and the entry column each is keyed by.
TOTALS_TABLES = (
    (LedgerCustomerTotals, "cd_customer", "cliente"),
    (LedgerDailyTotals, "dt_transaction", "dia"),
)
_CENTS = "CAST(ROUND(vr_transaction * 100) AS BIGINT)"


def recomputed_totals_sql(key: str) -> str:
    """``SELECT key, entradas_cents, saidas_cents, quantity`` recomputed from every entry, in
    SQL that PostgreSQL and SQLite both run (``ledger_totals_rebuild`` inserts it)."""
    entry_table = connections[Transaction.objects.db].ops.quote_name(Transaction._meta.db_table)
    entrada, saida = int(TransactionType.ENTRADA), int(TransactionType.SAIDA)
    # Identifiers and constants from this module only, never request data.
    return (
        f"SELECT {key}, "  # noqa: S608
        f"SUM(CASE WHEN id_transaction_type = {entrada} THEN {_CENTS} ELSE 0 END), "
        f"SUM(CASE WHEN id_transaction_type = {saida} THEN {_CENTS} ELSE 0 END), "
        f"COUNT(*) FROM {entry_table} GROUP BY {key}"
    )


def ledger_totals_differences() -> list[str]:
    """Where the kept totals differ from a full recomputation from the entries, one line per
    customer or day (empty: they agree). Two set differences per table, in the database."""
    connection = connections[Transaction.objects.db]
    differences = []
    for model, key, label in TOTALS_TABLES:
        stored = (
            f"SELECT {key}, vr_entradas_cents, vr_saidas_cents, qt_transactions "  # noqa: S608
            f"FROM {connection.ops.quote_name(model._meta.db_table)} "
            # A zero row (its entries deleted by hand) is the same as no row.
            "WHERE qt_transactions <> 0 OR vr_entradas_cents <> 0 OR vr_saidas_cents <> 0"
        )
        recomputed = recomputed_totals_sql(key)
        found: dict[str, dict[str, tuple]] = {}
        with connection.cursor() as cursor:
            for side, first, second in (
                ("recalculado", recomputed, stored),
                ("armazenado", stored, recomputed),
            ):
                cursor.execute(f"SELECT * FROM ({first} EXCEPT {second}) AS difference")  # noqa: S608
                for row_key, *values in cursor.fetchall():
                    found.setdefault(str(row_key), {})[side] = tuple(int(v) for v in values)
        for row_key, sides in sorted(found.items()):
            differences.append(
                f"{label} {row_key}: armazenado {sides.get('armazenado', '(nada)')}, "
                f"recalculado {sides.get('recalculado', '(nada)')} "
                "(entradas, saídas em centavos; lançamentos)"
            )
    return differences


def idempotency_key_get(*, user_id: UUID, key: str, since: dt.datetime) -> IdempotencyKey | None:
    """The live (recorded at or after ``since``) key of this user, with its entry."""
    return (
        IdempotencyKey.objects.select_related("transaction")
        .filter(cd_user=user_id, ds_key=key, dt_created_at__gte=since)
        .first()
    )


# --- Dashboard reads (admin) -------------------------------------------------------------------
# The dashboard reads the ledger only through these functions and ``cash_flow_summary``: when the
# ledger keeps per-day aggregates, these are the places that read them, the pages do not change.


def top_customers_by_entradas(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, limit: int = 10
) -> list[tuple[UUID, Decimal]]:
    """The ``limit`` customers with the largest sum of entradas (revenue) in the period, largest
    first (ties by id): one grouped query."""
    queryset = Transaction.objects.filter(ENTRADA)
    if date_from:
        queryset = queryset.filter(dt_transaction__gte=date_from)
    if date_to:
        queryset = queryset.filter(dt_transaction__lte=date_to)
    rows = (
        queryset.values("cd_customer")
        .annotate(entradas_cents=_cents(ENTRADA))
        .order_by("-entradas_cents", "cd_customer")[: max(limit, 0)]
    )
    return [(row["cd_customer"], _money(row["entradas_cents"])) for row in rows]


def customer_monthly_totals(*, customer_id: UUID) -> list[MonthTotals]:
    """One customer's totals per calendar month with entries, oldest first (one query)."""
    rows = (
        Transaction.objects.filter(cd_customer=customer_id)
        .annotate(month=TruncMonth("dt_transaction"))
        .values("month")
        .annotate(**_totals_aggregates())
        .order_by("month")
    )
    return [
        MonthTotals(
            month=row["month"].strftime("%Y-%m"),
            totals=_totals(row["entradas_cents"], row["saidas_cents"], row["quantity"]),
        )
        for row in rows
    ]


# --- Export (API and admin) ----------------------------------------------------------------------

#: Columns of a ledger export, in order: the API's entry fields plus the customer's name.
EXPORT_COLUMNS = (
    "cd_transaction",
    "dt_transaction",
    "id_transaction_type",
    "vr_transaction",
    "cd_customer",
    "ds_customer_name",
    "cd_product",
    "ds_transaction",
    "cd_reversal_of",
    "cd_user",
    "dt_created_at",
)
_EXPORT_BATCH = 2000


def transaction_list_all(
    *, filters: Mapping[str, str] | None = None, customer_id: UUID | None = None
) -> QuerySet[Transaction]:
    """Every customer's entries (or one customer's), newest first, narrowed by the ledger
    list's ``TransactionFilter`` (``InvalidInput`` for a value it cannot use). An unknown
    customer simply has no entries (it is a filter, not a resource)."""
    queryset = Transaction.objects.all()
    if customer_id is not None:
        queryset = queryset.filter(cd_customer=customer_id)
    queryset = queryset.order_by(*NEWEST_FIRST)
    return filter_queryset(TransactionFilter, data=filters, queryset=queryset)


def transaction_export_rows(*, transactions: QuerySet[Transaction]) -> Iterator[tuple]:
    """``EXPORT_COLUMNS`` tuples read from a database cursor in batches; the customers' names
    come from the customers domain in one call per batch (never one per row)."""
    rows = transactions.values_list(
        "cd_transaction",
        "dt_transaction",
        "id_transaction_type",
        "vr_transaction",
        "cd_customer",
        "cd_product",
        "ds_transaction",
        "reversal_of_id",
        "cd_user",
        "dt_created_at",
    ).iterator(chunk_size=_EXPORT_BATCH)
    while batch := list(islice(rows, _EXPORT_BATCH)):
        names = gateways.customer_summaries(customer_ids={row[4] for row in batch})
        for row in batch:
            summary = names.get(row[4])
            yield (
                *row[:5],
                summary.ds_customer_name if summary else None,
                *row[5:9],
                timezone.localtime(row[9]),
            )
