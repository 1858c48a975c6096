"""Input/output shapes of the ledger API.

Input serializers check the JSON *shape* (an amount is a number or a string of digits, a type
is 1 or 2, a date parses, a text is a string); the rules on values (amount range and places,
lengths) are ``validators``', run by the services whoever calls them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.api.serializers import (
    CachedRepresentationMixin,
    ListEnvelopeSerializer,
    ModelLabelsMixin,
    StrictCharField,
)

from ..models import Transaction, TransactionType

_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^\d{1,10}(\.\d{1,2})?$",
        "example": "1500.50",
        "description": _(
            "Valor > 0, no máximo 2 casas, até 9999999999.99 (string ou número JSON)."
        ),
    }
)
class MoneyField(serializers.Field):
    """An amount given as a JSON number (parsed as ``Decimal``) or a string of digits
    (``"10.50"``). Booleans, NaN, exponents in strings, thousands separators and commas are
    refused here; the range and the places are ``crm.money``'s (through ``validators``)."""

    default_error_messages = {"invalid": _("Informe um valor numérico, ex.: 10.50.")}

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | str | Decimal):
            self.fail("invalid")
        if isinstance(data, str):
            text = data.strip()
            if len(text) > 40 or not _PLAIN_NUMBER.fullmatch(text):
                self.fail("invalid")
            data = Decimal(text)
        value = Decimal(data)
        if not value.is_finite():
            self.fail("invalid")
        return value

    def to_representation(self, value) -> str:
        return f"{Decimal(value).quantize(Decimal('0.01'))}"


@extend_schema_field(
    {"type": "integer", "enum": [1, 2], "description": _("1 = entrada, 2 = saída.")}
)
class TransactionTypeField(serializers.Field):
    """1 (entrada) or 2 (saída), as a JSON integer or the strings ``"1"``/``"2"`` (form posts)."""

    default_error_messages = {
        "invalid": _("Tipo inválido: use 1 (entrada) ou 2 (saída)."),
    }

    def to_internal_value(self, data) -> int:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str) and data.strip() in {"1", "2"}:
            return int(data.strip())
        if isinstance(data, int) and data in TransactionType.values:
            return data
        self.fail("invalid")

    def to_representation(self, value) -> int:
        return int(value)


def _description() -> StrictCharField:
    return StrictCharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("Até 255 caracteres; vazio vira null."),
    )


class TransactionCreateInputSerializer(ModelLabelsMixin, serializers.Serializer):
    label_model = Transaction

    vr_transaction = MoneyField(
        help_text=_("Valor > 0 com no máximo 2 casas decimais, ex.: 10.50.")
    )
    id_transaction_type = TransactionTypeField(help_text=_("1 = entrada, 2 = saída."))
    dt_transaction = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], format="%Y-%m-%d"
    )
    ds_transaction = _description()
    cd_product = serializers.UUIDField(required=False, allow_null=True)


class TransactionReverseInputSerializer(ModelLabelsMixin, serializers.Serializer):
    label_model = Transaction

    ds_transaction = _description()


class TransactionOutputSerializer(CachedRepresentationMixin, serializers.ModelSerializer):
    """Every field is immutable (append-only ledger), so an idempotent replay re-renders the
    very same body."""

    vr_transaction = MoneyField()
    cd_reversal_of = serializers.UUIDField(source="reversal_of_id", allow_null=True)

    class Meta:
        model = Transaction
        fields = [
            "cd_transaction",
            "cd_customer",
            "cd_user",
            "cd_product",
            "vr_transaction",
            "id_transaction_type",
            "dt_transaction",
            "ds_transaction",
            "cd_reversal_of",
            "dt_created_at",
        ]
        read_only_fields = fields


class TransactionListEnvelopeSerializer(ListEnvelopeSerializer):
    transactions = TransactionOutputSerializer(many=True)


class TransactionEnvelopeSerializer(serializers.Serializer):
    transaction = TransactionOutputSerializer()


class TransactionMessageEnvelopeSerializer(serializers.Serializer):
    message = serializers.CharField()
    transaction = TransactionOutputSerializer()


class TotalsOutputSerializer(CachedRepresentationMixin, serializers.Serializer):
    vr_total_entradas = serializers.DecimalField(max_digits=18, decimal_places=2)
    vr_total_saidas = serializers.DecimalField(max_digits=18, decimal_places=2)
    vr_saldo = serializers.DecimalField(max_digits=18, decimal_places=2)
    qt_transactions = serializers.IntegerField()


class BalanceOutputSerializer(TotalsOutputSerializer):
    cd_customer = serializers.UUIDField()


class BalanceEnvelopeSerializer(serializers.Serializer):
    balance = BalanceOutputSerializer()


class MonthOutputSerializer(TotalsOutputSerializer):
    month = serializers.CharField()


class CashFlowEnvelopeSerializer(serializers.Serializer):
    summary = MonthOutputSerializer(many=True)
    totals = TotalsOutputSerializer()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
