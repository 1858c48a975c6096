"""Query-string filters for the product list (``GET /api/products``).

Every parameter is validated like a form field: a value that is not understood is a 400 with
``{"error": {"<parameter>": ["<mensagem>"]}}``, never silently ignored and never a 500.

* ``active_only`` ``true`` (default) / ``false``: only active products, or every product.
* ``search``: name or description contains the text, case-insensitively.
* ``id_product_type``: ``produto`` or ``servico``.
* ``min_price`` / ``max_price``: inclusive price range, decimals (``10.50``).
* ``ordering``: comma-separated, from ``ds_product_name``, ``vr_price``,
  ``dt_product_created_at``, each optionally prefixed by ``-``. Default: by name. Names sort
  case-insensitively, and ``cd_product`` breaks ties so pages never overlap.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from crm.api.query import BooleanQueryFilter, FilterSet

from .models import Product, ProductType

ORDERING_FIELDS = ("ds_product_name", "vr_price", "dt_product_created_at")
DEFAULT_ORDERING = ("ds_product_name",)


class OrderingField(forms.CharField):
    """A comma-separated list of whitelisted fields, each optionally prefixed by ``-``."""

    default_error_messages = {
        "invalid_choice": _(
            "Ordenação inválida: '%(value)s'. Use um de: %(choices)s (prefixo '-' para "
            "ordem decrescente)."
        )
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return []
        terms = [term.strip() for term in value.split(",")]
        for term in terms:
            if term.removeprefix("-") not in ORDERING_FIELDS:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": term, "choices": ", ".join(ORDERING_FIELDS)},
                )
        return terms


class OrderingFilter(django_filters.Filter):
    field_class = OrderingField


def order_expressions(terms: list[str] | tuple[str, ...]) -> list:
    expressions = []
    for term in terms:
        descending = term.startswith("-")
        name = term.removeprefix("-")
        expression = Lower(name) if name == "ds_product_name" else F(name)
        expressions.append(expression.desc() if descending else expression.asc())
    expressions.append(F("cd_product").asc())
    return expressions


class PriceFilter(django_filters.NumberFilter):
    """A finite decimal. Checked here, so the database never sees NaN or a 400-digit number."""

    LIMIT = Decimal("1e15")

    def filter(self, qs, value):
        if value is not None and abs(value) >= self.LIMIT:
            # Further than any stored price (numeric(12,2)): the comparison's answer is known.
            above = value > 0
            if (self.lookup_expr == "gte") == above:
                return qs.none()
            return qs
        return super().filter(qs, value)


class ProductFilter(FilterSet):
    active_only = BooleanQueryFilter(method="filter_active_only")
    search = django_filters.CharFilter(method="filter_search")
    id_product_type = django_filters.ChoiceFilter(
        choices=ProductType.choices,
        error_messages={"invalid_choice": _("Tipo inválido. Use 'produto' ou 'servico'.")},
    )
    min_price = PriceFilter(field_name="vr_price", lookup_expr="gte")
    max_price = PriceFilter(field_name="vr_price", lookup_expr="lte")
    ordering = OrderingFilter(method="filter_ordering")

    class Meta:
        model = Product
        fields = ["active_only", "search", "id_product_type", "min_price", "max_price"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        # The seed's default: only active products unless the client says otherwise.
        if not data.get("active_only"):
            data["active_only"] = "true"
        if not data.get("ordering"):
            data["ordering"] = ",".join(DEFAULT_ORDERING)
        super().__init__(data, *args, **kwargs)

    def filter_active_only(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_active=True) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return self.matched_by_search(
            queryset.filter(
                Q(ds_product_name__icontains=text) | Q(ds_product_description__icontains=text)
            )
        )

    def filter_ordering(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.order_by(*order_expressions(value))
