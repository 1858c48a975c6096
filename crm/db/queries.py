"""Small query helpers every domain shares."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    DateField,
    DateTimeField,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OrderBy,
    QuerySet,
)


def unique_row(queryset: QuerySet) -> Any | None:
    """The one row a unique filter names (a primary key, a unique key), or ``None``.

    ``first()`` would add an ``ORDER BY`` (compiling the model's ordering for one row: about a
    tenth of a by-id read's Python calls) and ``get()`` would read up to 21 rows to complain
    about duplicates a unique filter cannot have. ``LIMIT 1``, nothing else.
    """
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


class NotFromIndex(Func):
    """The same value, in an expression PostgreSQL cannot read from a B-tree index:
    ``name || ''``, ``number + 0``, ``moment + interval '0'`` (a DBA's classic). Sorting by it
    sorts exactly as by the column (same type, same collation); elsewhere it is the column."""

    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        field = self.output_field
        if isinstance(field, DateTimeField):
            return f"({sql} + interval '0')", params
        if isinstance(field, DateField | IntegerField | DecimalField | FloatField):
            return f"({sql} + 0)", params
        if field.get_internal_type() in {"CharField", "TextField", "EmailField", "SlugField"}:
            return f"({sql} || '')", params
        return sql, params


def sorted_after_matching(queryset: QuerySet) -> QuerySet:
    """``queryset`` in the same order, sorted *after* its rows are found.

    For a search (``LIKE '%fragment%'`` served by a trigram index) PostgreSQL's estimate of how
    many rows match is a guess from a 100-value sample; when it guesses thousands it walks the
    list's ordering index from the start, filtering each row, expecting to meet a page of
    matches early. With 76 real matches among 900,000 rows that walk read the whole table (3.2 s
    instead of 7 ms), and a first page's ``COUNT(*) OVER ()`` made it worse (the planner prices
    a ``LIMIT`` over a window as if it stopped early). Leading the ``ORDER BY`` with the same
    value in a form no index provides leaves one plan: gather the matches through the trigram
    index, then sort them (top-N). A search reads every match anyway, for its exact ``total``.
    Same rows, same order, same keyset positions; on SQLite nothing changes.
    """
    query = queryset.query
    meta = queryset.model._meta
    ordering = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
    if not ordering:
        return queryset
    first = ordering[0]
    if isinstance(first, str):
        descending = first.startswith("-")
        name = first.lstrip("-")
        if name == "?":
            return queryset
        name = meta.pk.name if name == "pk" else name
        first = OrderBy(NotFromIndex(F(name)), descending=descending)
    elif isinstance(first, OrderBy):
        first = first.copy()
        first.expression = NotFromIndex(first.expression)
    else:
        first = OrderBy(NotFromIndex(first))
    return queryset.order_by(first, *ordering[1:])
