"""Query-string filters of the ledger list and the cash-flow summary (validated, never a 500)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from crm.api.exceptions import InvalidInput

from .models import Transaction, TransactionType


class _DateRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(
                {"date_from": _("A data inicial não pode ser posterior à data final.")}
            )
        return cleaned


def _date_filter(lookup: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name="dt_transaction",
        lookup_expr=lookup,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Data inválida: use o formato AAAA-MM-DD.")},
    )


class TransactionFilter(django_filters.FilterSet):
    date_from = _date_filter("gte")
    date_to = _date_filter("lte")
    id_transaction_type = django_filters.TypedChoiceFilter(
        choices=[(str(value), label) for value, label in TransactionType.choices],
        coerce=int,
        error_messages={"invalid_choice": _("Tipo inválido: use 1 (entrada) ou 2 (saída).")},
    )

    class Meta:
        model = Transaction
        fields = ["date_from", "date_to", "id_transaction_type"]
        form = _DateRangeForm


class SummaryFilter(django_filters.FilterSet):
    date_from = _date_filter("gte")
    date_to = _date_filter("lte")

    class Meta:
        model = Transaction
        fields = ["date_from", "date_to"]
        form = _DateRangeForm


def validated(filterset_class: type[django_filters.FilterSet], query_params) -> dict:
    """The cleaned filter values, or ``InvalidInput`` (400) with per-field messages."""
    for name, value in query_params.items():
        if "\x00" in name or "\x00" in value:
            raise InvalidInput(str(_("Parâmetro de consulta contém caracteres inválidos.")))
    filterset = filterset_class(data=query_params, queryset=Transaction.objects.none())
    if not filterset.is_valid():
        raise InvalidInput(
            {
                field: [str(message) for message in messages]
                for field, messages in filterset.errors.items()
            }
        )
    return {
        key: value for key, value in filterset.form.cleaned_data.items() if value not in (None, "")
    }
