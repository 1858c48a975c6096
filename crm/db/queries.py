"""Small query helpers every domain shares."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def unique_row(queryset: QuerySet) -> Any | None:
    """The one row a unique filter names (a primary key, a unique key), or ``None``.

    ``first()`` would add an ``ORDER BY`` (compiling the model's ordering for one row: about a
    tenth of a by-id read's Python calls) and ``get()`` would read up to 21 rows to complain
    about duplicates a unique filter cannot have. ``LIMIT 1``, nothing else.
    """
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None
