"""The seed's list envelope, by page number or by cursor.

``{"<things>": [...], "total", "pages", "current_page", "per_page", "next_cursor"}``

Page mode (the seed's): ``page`` counts from 1; ``per_page`` defaults to the view's
``default_per_page`` (20 unless the view says otherwise) and is capped at 100; a page past the
end is an empty list, not an error. A ``page``/``per_page`` that is not a positive integer is a
400. Two queries whatever the size: one ``COUNT`` (answered by a trigger-kept counter where the
queryset supports it, ``crm.db.counts``) and one ``LIMIT/OFFSET`` (deep offsets walk only the
ordering index: the page's primary keys are picked first, then their rows). On the first page
of a list without a kept counter (a customer's timeline or ledger, a search), one query: the
rows carry ``COUNT(*) OVER ()``, the number of matching rows before the ``LIMIT``.

Cursor mode: every answer carries ``next_cursor``, an opaque token naming the position right
after its last row (``null`` on the last page). ``?cursor=<token>`` with the same filters, search
and ordering answers the rows after that position in the same envelope, without ``total`` and
``pages`` (nothing is counted). The position is a *keyset* (the values of the ordering
expressions and the primary key of the last row), so any position costs what the first page
costs: an index range scan, no ``OFFSET``. The token is signed (``SECRET_KEY``): a malformed or
tampered token, or one made for another list or other filters, is a 400.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import uuid
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count, F, OrderBy, Q, Window
from django.db.models.constants import LOOKUP_SEP
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from ..db.counts import RowCountQuerySet
from ..db.queries import planned_rows
from .exceptions import InvalidInput

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20
CURSOR_SALT = "crm.api.pagination.cursor"
#: Query parameters that do not change which rows a list holds (a cursor stays valid across them).
PAGING_PARAMETERS = frozenset({"page", "per_page", "cursor", "format"})


def positive_int(raw: str | None, *, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise InvalidInput({name: [str(_("Deve ser um número inteiro maior ou igual a 1."))]})
    return value


def _count_is_kept(queryset) -> bool:
    """Whether ``queryset.count()`` reads a counter the database keeps (``crm.db.counts``)
    instead of counting rows."""
    return (
        isinstance(queryset, RowCountQuerySet)
        and connections[queryset.db].vendor == "postgresql"
        and queryset._counter_answer() is not None
    )


def _invalid_cursor(message=None):
    return InvalidInput({"cursor": [str(message or _("Cursor inválido ou adulterado."))]})


class Keyset:
    """The total order of a queryset as a list of ``OrderBy`` terms ending with the primary
    key, and the ``WHERE`` that selects the rows after a given position in that order."""

    def __init__(self, queryset) -> None:
        query = queryset.query
        meta = queryset.model._meta
        ordering = list(query.order_by) or (list(meta.ordering) if query.default_ordering else [])
        if query.extra_order_by or "?" in ordering:
            raise ValueError("keyset pagination needs a deterministic ordering")
        pk_name = meta.pk.name
        terms: list[OrderBy] = []
        for item in ordering:
            if isinstance(item, str):
                descending = item.startswith("-")
                name = item.lstrip("-")
                if name == "pk":
                    name = pk_name
                term = F(name).desc() if descending else F(name).asc()
            elif isinstance(item, OrderBy):
                term = item.copy()
            else:
                term = item.asc()
            terms.append(term)
        if not any(self._field_name(term.expression) == pk_name for term in terms):
            terms.append(F(pk_name).asc())
        self.model = queryset.model
        self.nullable: list[bool] = []
        for term in terms:
            nullable = self._nullable(term.expression)
            if nullable and not (term.nulls_first or term.nulls_last):
                # Say where NULLs go, the same on every database (PostgreSQL's default, which
                # its indexes follow); the keyset below relies on it.
                term.nulls_first, term.nulls_last = term.descending, not term.descending
            self.nullable.append(nullable)
        self.terms = terms
        # Where a row holds each term's value: a plain column is the row's own attribute;
        # only an expression is selected again, as ``_keyset_<i>``.
        self.attributes = [
            self._attribute(term.expression, index) for index, term in enumerate(terms)
        ]

    def _attribute(self, expression, index: int) -> str:
        name = self._field_name(expression)
        if name is not None and LOOKUP_SEP not in name:
            field = self.model._meta.get_field(name)
            if field.concrete and field.model is self.model._meta.concrete_model:
                return field.attname
        return f"_keyset_{index}"

    @staticmethod
    def _field_name(expression) -> str | None:
        return expression.name if isinstance(expression, F) else None

    def _nullable(self, expression) -> bool:
        if isinstance(expression, F):
            return self.model._meta.get_field(expression.name).null
        return any(self._nullable(source) for source in expression.get_source_expressions())

    def signature(self) -> str:
        return ",".join(
            f"{'-' if term.descending else ''}{term.expression!r}" for term in self.terms
        )

    def ordered(self, queryset):
        annotations = {
            attribute: term.expression
            for attribute, term in zip(self.attributes, self.terms, strict=True)
            if attribute.startswith("_keyset_")
        }
        queryset = queryset.order_by(*self.terms)
        return queryset.annotate(**annotations) if annotations else queryset

    def position_of(self, row) -> list:
        return [getattr(row, attribute) for attribute in self.attributes]

    def output_fields(self, queryset) -> list:
        query = queryset.query
        return [term.expression.resolve_expression(query).output_field for term in self.terms]

    def after(self, position: list) -> Q:
        """Rows strictly after ``position`` in this order. On the leading term a plain range
        bound is added (when the column holds no NULLs), so PostgreSQL starts an index scan
        right there instead of filtering from the beginning."""
        condition = Q(pk__in=[])
        same_so_far = Q()
        for term, nullable, value in zip(self.terms, self.nullable, position, strict=True):
            expression = term.expression
            if value is None:
                # NULLs sit first (descending) or last (ascending).
                beyond = Q(IsNull(expression, False)) if term.nulls_first else Q(pk__in=[])
                same = Q(IsNull(expression, True))
            else:
                comparison = LessThan if term.descending else GreaterThan
                beyond = Q(comparison(expression, value))
                if nullable and term.nulls_last:
                    beyond |= Q(IsNull(expression, True))
                same = Q(Exact(expression, value))
            condition |= same_so_far & beyond
            same_so_far &= same
        leading, leading_value = self.terms[0], position[0]
        if not self.nullable[0] and leading_value is not None:
            bound = LessThanOrEqual if leading.descending else GreaterThanOrEqual
            condition &= Q(bound(leading.expression, leading_value))
        return condition


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision: microseconds decide ties in a keyset
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _fingerprint(request, keyset: Keyset) -> str:
    params = sorted(
        (name, tuple(request.query_params.getlist(name)))
        for name in request.query_params
        if name not in PAGING_PARAMETERS
    )
    text = repr((request.path_info.rstrip("/"), params, keyset.signature()))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class EnvelopePagination(BasePagination):
    """Page-number and cursor pagination rendered in the seed's envelope.

    Views get one through ``crm.api.views.EnvelopeListMixin``, which passes the view's
    ``envelope_key`` (``"customers"``) and ``default_per_page``.
    """

    def __init__(
        self, *, envelope_key: str = "results", default_per_page: int = DEFAULT_PER_PAGE
    ) -> None:
        self.envelope_key = envelope_key
        self.default_per_page = default_per_page

    def paginate_queryset(self, queryset, request, view=None):
        params = request.query_params
        self.per_page = min(
            positive_int(params.get("per_page"), name="per_page", default=self.default_per_page),
            MAX_PER_PAGE,
        )
        keyset = Keyset(queryset)
        self.fingerprint = _fingerprint(request, keyset)
        raw_cursor = params.get("cursor")
        if raw_cursor:
            return self._cursor_page(queryset, keyset, raw_cursor)
        return self._numbered_page(queryset, keyset, params)

    def _numbered_page(self, queryset, keyset: Keyset, params) -> list:
        self.cursor_mode = False
        self.page = positive_int(params.get("page"), name="page", default=1)
        if self.page == 1 and not _count_is_kept(queryset) and not queryset.query.distinct:
            # The first page and its total in one query: COUNT(*) OVER () is computed over
            # every matching row before the LIMIT (no second round trip for a real count).
            per_page = self.per_page
            rows = planned_rows(
                queryset,
                shape=("first_page", keyset.signature(), per_page),
                build=lambda queryset: keyset.ordered(queryset).annotate(
                    _page_total=Window(Count("*"))
                )[:per_page],
            )
            self.total = rows[0]._page_total if rows else 0
            more = len(rows) < self.total
            self.next_cursor = self._cursor_after(keyset, rows[-1], self.page) if more else None
            return rows
        self.total = queryset.count()
        offset = (self.page - 1) * self.per_page
        if offset >= self.total:
            self.next_cursor = None
            return []
        if offset:
            # Deep pages: pick the page's keys along the ordering index (an index-only walk
            # when the index covers the ordering), then fetch just those rows.
            keys = queryset.order_by(*keyset.terms).values("pk")[offset : offset + self.per_page]
            queryset = queryset.filter(pk__in=keys)
        rows = list(keyset.ordered(queryset)[: self.per_page])
        more = offset + len(rows) < self.total
        self.next_cursor = self._cursor_after(keyset, rows[-1], self.page) if more else None
        return rows

    def _cursor_page(self, queryset, keyset: Keyset, raw_cursor: str) -> list:
        self.cursor_mode = True
        self.total = None
        position, page = self._decode(raw_cursor, keyset, queryset)
        self.page = page + 1
        rows = list(keyset.ordered(queryset.filter(keyset.after(position)))[: self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        self.next_cursor = self._cursor_after(keyset, rows[-1], self.page) if more else None
        return rows

    def _cursor_after(self, keyset: Keyset, row, page: int) -> str:
        payload = {
            "f": self.fingerprint,
            "p": page,
            "k": [_to_json(value) for value in keyset.position_of(row)],
        }
        return signing.dumps(payload, salt=CURSOR_SALT, compress=True)

    def _decode(self, raw: str, keyset: Keyset, queryset) -> tuple[list, int]:
        try:
            payload = signing.loads(raw, salt=CURSOR_SALT)
        except (signing.BadSignature, ValueError, TypeError, UnicodeError):
            raise _invalid_cursor() from None
        if not (
            isinstance(payload, dict)
            and isinstance(payload.get("k"), list)
            and isinstance(payload.get("p"), int)
            and payload["p"] >= 1
        ):
            raise _invalid_cursor()
        if payload.get("f") != self.fingerprint or len(payload["k"]) != len(keyset.terms):
            raise _invalid_cursor(
                _(
                    "Este cursor pertence a outra consulta: repita os mesmos filtros, busca "
                    "e ordenação."
                )
            )
        position = []
        for field, value in zip(keyset.output_fields(queryset), payload["k"], strict=True):
            try:
                position.append(None if value is None else field.to_python(value))
            except (ValidationError, TypeError, ValueError):
                raise _invalid_cursor() from None
        return position, payload["p"]

    def get_envelope(self, data) -> dict:
        envelope = {self.envelope_key: data}
        if not self.cursor_mode:
            envelope["total"] = self.total
            envelope["pages"] = math.ceil(self.total / self.per_page) if self.total else 0
        envelope["current_page"] = self.page
        envelope["per_page"] = self.per_page
        envelope["next_cursor"] = self.next_cursor
        return envelope

    def get_paginated_response(self, data):
        return Response(self.get_envelope(data))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["current_page", "per_page", "next_cursor"],
            "properties": {
                self.envelope_key: schema,
                "total": {"type": "integer", "example": 42},
                "pages": {"type": "integer", "example": 3},
                "current_page": {"type": "integer", "example": 1},
                "per_page": {"type": "integer", "example": 20},
                "next_cursor": {"type": "string", "nullable": True},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": _("Página (a partir de 1)."),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": _("Itens por página (padrão %(default)s, máximo %(max)s).")
                % {"default": self.default_per_page, "max": MAX_PER_PAGE},
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
            CURSOR_PARAMETER,
        ]


CURSOR_PARAMETER = {
    "name": "cursor",
    "in": "query",
    "required": False,
    "description": (
        "Paginação por cursor: o valor de next_cursor de uma resposta anterior, com os mesmos "
        "filtros, busca e ordenação. Devolve as linhas seguintes (sem total/pages); qualquer "
        "posição custa o mesmo que a primeira página."
    ),
    "schema": {"type": "string"},
}
