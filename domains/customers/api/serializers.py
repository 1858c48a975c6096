"""Customer API serializers.

Input serializers only check JSON *types* (a name sent as a number or a list is a 400, never
coerced to text); the field rules and normalisation live in ``validators`` and run in the
services, so the API and the admin apply exactly the same rules.

Output: ``ds_customer_cpf_cnpj`` is returned as stored, digits only (``52998224725``); clients
format it for display. ``ds_customer_zip_code`` is returned as ``00000-000``.
"""

from __future__ import annotations

from rest_framework import serializers

from crm.api.serializers import (
    CachedRepresentationMixin,
    ChangeEventOutputSerializer,
    ListEnvelopeSerializer,
    ModelLabelsMixin,
    StrictCharField,
)

from ..models import Customer

NAME_REQUIRED = "O nome do cliente é obrigatório."


def _optional_text() -> StrictCharField:
    return StrictCharField(required=False, allow_null=True, allow_blank=True, trim_whitespace=False)


class CustomerInputSerializer(ModelLabelsMixin, serializers.Serializer):
    """Body of create (``ds_customer_name`` required) and partial update (all optional)."""

    label_model = Customer

    ds_customer_name = StrictCharField(
        trim_whitespace=False,
        error_messages={
            "required": NAME_REQUIRED,
            "null": NAME_REQUIRED,
            "blank": NAME_REQUIRED,
        },
    )
    ds_customer_email = _optional_text()
    ds_customer_phone = _optional_text()
    ds_customer_cpf_cnpj = _optional_text()
    ds_customer_address = _optional_text()
    ds_customer_city = _optional_text()
    ds_customer_state = _optional_text()
    ds_customer_zip_code = _optional_text()
    ds_customer_country = _optional_text()


class CustomerOutputSerializer(CachedRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = (
            "cd_customer",
            "ds_customer_name",
            "ds_customer_email",
            "ds_customer_phone",
            "ds_customer_cpf_cnpj",
            "ds_customer_address",
            "ds_customer_city",
            "ds_customer_state",
            "ds_customer_zip_code",
            "ds_customer_country",
            "dt_customer_created_at",
            "dt_customer_updated_at",
            "is_customer_active",
        )
        read_only_fields = fields


class CustomerEnvelopeSerializer(serializers.Serializer):
    customer = CustomerOutputSerializer()


class CustomerMessageEnvelopeSerializer(serializers.Serializer):
    message = serializers.CharField()
    customer = CustomerOutputSerializer()


class CustomerListEnvelopeSerializer(ListEnvelopeSerializer):
    customers = CustomerOutputSerializer(many=True)


class CustomerHistoryListEnvelopeSerializer(ListEnvelopeSerializer):
    history = ChangeEventOutputSerializer(many=True)
