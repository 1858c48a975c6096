"""Input/Output serializers of the ledger, and the JSON parser that never produces a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.api.serializers import ListEnvelopeSerializer, ModelLabelsMixin

from ..ledger_services import MAX_AMOUNT
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
    """An amount > 0 with at most 2 decimals, up to 9 999 999 999.99, given as a JSON number
    (parsed as Decimal) or a string of digits (``"10.50"``). Floats, booleans, NaN, exponents in
    strings, thousands separators and commas are refused."""

    default_error_messages = {
        "invalid": _("Informe um valor numérico, ex.: 10.50."),
        "positive": _("O valor deve ser maior que zero."),
        "max_value": _("O valor deve ser no máximo 9999999999.99."),
        "decimal_places": _("O valor deve ter no máximo 2 casas decimais."),
    }

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
        if value <= 0:
            self.fail("positive")
        if value > MAX_AMOUNT:
            self.fail("max_value")
        try:
            cents = value.quantize(Decimal("0.01"))
        except InvalidOperation:
            self.fail("invalid")
        if cents != value:
            self.fail("decimal_places")
        return cents

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


class TransactionCreateInput(ModelLabelsMixin, serializers.Serializer):
    label_model = Transaction

    vr_transaction = MoneyField(
        help_text=_("Valor > 0 com no máximo 2 casas decimais, ex.: 10.50.")
    )
    id_transaction_type = TransactionTypeField(help_text=_("1 = entrada, 2 = saída."))
    dt_transaction = serializers.DateField(
        required=False, input_formats=["%Y-%m-%d"], format="%Y-%m-%d"
    )
    ds_transaction = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=255
    )
    cd_product = serializers.UUIDField(required=False, allow_null=True)


class TransactionReverseInput(ModelLabelsMixin, serializers.Serializer):
    label_model = Transaction

    ds_transaction = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=255
    )


class TransactionOutput(serializers.ModelSerializer):
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


class ErrorOutput(serializers.Serializer):
    error = serializers.JSONField(help_text=_("Mensagem, ou {campo: [mensagens]}."))


class TransactionListEnvelope(ListEnvelopeSerializer):
    transactions = TransactionOutput(many=True)


class TotalsOutput(serializers.Serializer):
    vr_total_entradas = serializers.DecimalField(max_digits=18, decimal_places=2)
    vr_total_saidas = serializers.DecimalField(max_digits=18, decimal_places=2)
    vr_saldo = serializers.DecimalField(max_digits=18, decimal_places=2)
    qt_transactions = serializers.IntegerField()


class BalanceOutput(TotalsOutput):
    cd_customer = serializers.UUIDField()


class MonthOutput(TotalsOutput):
    month = serializers.CharField()
