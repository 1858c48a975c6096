"""Query filters for the customer list (used by ``selectors.customer_list``).

Query parameters (unknown ones are ignored):

* ``active_only`` — ``true`` (default) or ``false``.
* ``search`` — name or e-mail (case-insensitive, contains) or CPF/CNPJ: when the term is made
  of digits and document punctuation only, its digits are matched against the stored digits,
  so ``529.982``, ``529982`` and ``247-25`` all find ``52998224725``. A term with a blank in it
  is looked for in names only (no e-mail address holds one).
* ``ds_customer_state`` / ``state`` — a UF, any case.
* ``ds_customer_city`` / ``city`` — case-insensitive exact match.
* ``ordering`` — one of ``ORDERING_FIELDS``, optionally prefixed by ``-``; default by name.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from crm.api.query import BooleanQueryFilter, FilterSet

from .models import Customer
from .validators import BRAZILIAN_STATES, document_digits

ORDERING_FIELDS = (
    "ds_customer_name",
    "dt_customer_created_at",
    "dt_customer_updated_at",
    "ds_customer_city",
    "ds_customer_state",
)
ORDERING_CHOICES = [(name, name) for name in ORDERING_FIELDS] + [
    (f"-{name}", f"-{name}") for name in ORDERING_FIELDS
]


class StateField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if value else value

    def validate(self, value):
        super().validate(value)
        if value and value not in BRAZILIAN_STATES:
            raise forms.ValidationError(
                "UF inválida. Informe a sigla de um dos 27 estados brasileiros.", code="invalid"
            )


class StateFilter(django_filters.CharFilter):
    field_class = StateField


class CustomerFilter(FilterSet):
    active_only = BooleanQueryFilter(method="filter_active_only", label="Somente ativos")
    search = django_filters.CharFilter(method="filter_search", label="Busca")
    ds_customer_state = StateFilter(field_name="ds_customer_state", label="UF")
    state = StateFilter(field_name="ds_customer_state", label="UF (atalho)")
    ds_customer_city = django_filters.CharFilter(
        field_name="ds_customer_city", lookup_expr="iexact", label="Cidade"
    )
    city = django_filters.CharFilter(
        field_name="ds_customer_city", lookup_expr="iexact", label="Cidade (atalho)"
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        label="Ordenação",
        error_messages={
            "invalid_choice": "Ordenação inválida: %(value)s. Use um de: "
            + ", ".join(name for name, _ in ORDERING_CHOICES)
            + "."
        },
    )

    class Meta:
        model = Customer
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            if not data.get("active_only"):
                data["active_only"] = "true"
        super().__init__(data, *args, **kwargs)

    def filter_active_only(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_customer_active=True) if value else queryset

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        term = value.strip()
        if not term:
            return queryset
        condition = Q(ds_customer_name__phrase_icontains=term)
        if not any(character.isspace() for character in term):
            # An e-mail address holds no blank (``validate_email`` allows one only escaped
            # inside a quoted local part, ``"a\\ b"@x``), so "Mariana Sou" is looked for in
            # names only: the e-mail index would hand over every "mariana.souza…" address as
            # a candidate (pg_trgm splits words at the dot), each one read to be refused.
            condition |= Q(ds_customer_email__address_icontains=term)
        digits = document_digits(term)
        if digits:
            condition |= Q(ds_customer_cpf_cnpj__contains=digits)
        return self.matched_by_search(queryset.filter(condition))

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The primary key breaks ties so pages never overlap or skip rows.
        return queryset.order_by(value, "cd_customer")
