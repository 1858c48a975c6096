"""What every domain's bulk import shares: the result shapes and the batching helpers.

A domain's import function (``import_seed`` calls one per domain, through its interface) reads
an iterable of plain rows, refuses the rows that break the domain's rules, leaves alone the rows
already present (by primary key) and inserts the rest in batches. It answers an
``ImportOutcome``: counts plus one ``RefusedRow`` per refusal, the reason in the API's words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from django.db import connections, models

T = TypeVar("T")

#: Rows per query: large enough that a million rows is ~500 round trips per statement kind,
#: small enough to stay far below PostgreSQL's 65535 bind parameters per statement.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class RefusedRow:
    """One row not imported: its table, its key in the source, the field at fault (if one),
    the offending value (as text, when useful to fix it) and the reason."""

    table: str
    key: str
    reason: str
    field: str = ""
    value: str = ""


@dataclass(frozen=True)
class ImportOutcome:
    table: str
    read: int = 0
    imported: int = 0
    already_present: int = 0
    #: Rows refused (a row with several invalid fields counts once) ...
    refused_rows: int = 0
    #: ... and one line per reason, for the report.
    refused: tuple[RefusedRow, ...] = ()
    #: Things the operator should know that are not about one row (e.g. a role not found).
    notes: tuple[str, ...] = ()


class OutcomeCounter:
    """Mutable tally a domain fills while importing, frozen into an ``ImportOutcome``."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.read = 0
        self.imported = 0
        self.already_present = 0
        self.refused: list[RefusedRow] = []
        self.notes: list[str] = []

    def refuse(self, key: object, reason: str, *, field: str = "", value: object = "") -> None:
        self.refused.append(
            RefusedRow(
                table=self.table,
                key=str(key),
                reason=str(reason),
                field=field,
                value="" if value is None else str(value),
            )
        )

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(
            table=self.table,
            read=self.read,
            imported=self.imported,
            already_present=self.already_present,
            refused_rows=len({refusal.key for refusal in self.refused}),
            refused=tuple(self.refused),
            notes=tuple(self.notes),
        )


def batched(rows: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """``rows`` in lists of at most ``size``, consuming the iterable lazily."""
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def insert_as_given(model: type[models.Model], objects: Sequence[models.Model], *, using: str):
    """Insert ``objects`` with every value exactly as set on them, in as few statements as the
    backend allows.

    ``bulk_create`` would run ``pre_save`` and so overwrite ``auto_now``/``auto_now_add``
    timestamps with "now"; an import must keep the source's creation times. On PostgreSQL the
    rows go through ``COPY`` (several times faster than a many-row ``INSERT`` for a million
    rows); elsewhere through Django's *raw* insert, what ``loaddata`` uses for the same reason.
    Values are prepared by each field (``get_db_prep_save``), as any save would.
    """
    if not objects:
        return
    connection = connections[using]
    fields = [field for field in model._meta.concrete_fields if not field.generated]
    if connection.vendor == "postgresql":
        _copy_rows(connection, model, fields, objects)
        return
    # SQLite caps the bind parameters of one statement: ask the backend for the batch size.
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start : start + size], fields=fields, raw=True, using=using)


def _copy_rows(connection, model, fields, objects) -> None:
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for instance in objects:
            copy.write_row(
                [
                    field.get_db_prep_save(getattr(instance, field.attname), connection)
                    for field in fields
                ]
            )
