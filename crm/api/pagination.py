"""The seed's list envelope: ``{"<things>": [...], "total", "pages", "current_page", "per_page"}``.

``page`` counts from 1; ``per_page`` defaults to the view's ``default_per_page`` (20 unless the
view says otherwise) and is capped at 100; a page past the end is an empty list, not an error.
A ``page``/``per_page`` that is not a positive integer is a 400. Two queries whatever the size:
one ``COUNT`` and one ``LIMIT/OFFSET``.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from .exceptions import InvalidInput

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


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


class EnvelopePagination(BasePagination):
    """Page-number pagination rendered in the seed's envelope.

    Views get one through ``crm.api.views.EnvelopeListMixin``, which passes the view's
    ``envelope_key`` (``"customers"``) and ``default_per_page``.
    """

    def __init__(
        self, *, envelope_key: str = "results", default_per_page: int = DEFAULT_PER_PAGE
    ) -> None:
        self.envelope_key = envelope_key
        self.default_per_page = default_per_page

    def paginate_queryset(self, queryset, request, view=None):
        default = self.default_per_page
        self.page = positive_int(request.query_params.get("page"), name="page", default=1)
        self.per_page = min(
            positive_int(request.query_params.get("per_page"), name="per_page", default=default),
            MAX_PER_PAGE,
        )
        self.total = queryset.count() if hasattr(queryset, "count") else len(queryset)
        offset = (self.page - 1) * self.per_page
        if offset >= self.total:
            return []
        return list(queryset[offset : offset + self.per_page])

    def get_envelope(self, data) -> dict:
        return {
            self.envelope_key: data,
            "total": self.total,
            "pages": math.ceil(self.total / self.per_page) if self.total else 0,
            "current_page": self.page,
            "per_page": self.per_page,
        }

    def get_paginated_response(self, data):
        return Response(self.get_envelope(data))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["total", "pages", "current_page"],
            "properties": {
                self.envelope_key: schema,
                "total": {"type": "integer", "example": 42},
                "pages": {"type": "integer", "example": 3},
                "current_page": {"type": "integer", "example": 1},
                "per_page": {"type": "integer", "example": 20},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "Página (a partir de 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": (
                    f"Itens por página (padrão {self.default_per_page}, máximo {MAX_PER_PAGE})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
        ]
