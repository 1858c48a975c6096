"""Query-string filters of the ledger list and the cash-flow summary (run by ``selectors``)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from crm.api.query import DateRangeForm, FilterSet, date_filter

from .models import Transaction, TransactionType


class TransactionFilter(FilterSet):
    date_from = date_filter("dt_transaction", "gte")
    date_to = date_filter("dt_transaction", "lte")
    id_transaction_type = django_filters.TypedChoiceFilter(
        choices=[(str(value), label) for value, label in TransactionType.choices],
        coerce=int,
        error_messages={"invalid_choice": _("Tipo inválido: use 1 (entrada) ou 2 (saída).")},
    )

    class Meta:
        model = Transaction
        fields = ["date_from", "date_to", "id_transaction_type"]
        form = DateRangeForm


class SummaryFilter(FilterSet):
    date_from = date_filter("dt_transaction", "gte")
    date_to = date_filter("dt_transaction", "lte")

    class Meta:
        model = Transaction
        fields = ["date_from", "date_to"]
        form = DateRangeForm
