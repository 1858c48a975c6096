"""Input and output shapes of the products API (seed field names).

Input serializers only check *types* (a name is a JSON string, a price is a decimal number or a
string holding one); the business rules (lengths, bounds) live in ``validators`` and uniqueness
in ``services.product_clean``, so that the admin applies exactly the same ones.

``is_active`` may be sent on create and update (the seed accepted it): creating a product
already inactive, or reactivating one through ``PUT``, is allowed. Unknown fields are ignored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.api.serializers import (
    NOT_NULL,
    CachedRepresentationMixin,
    ChangeEventOutputSerializer,
    ListEnvelopeSerializer,
    ModelLabelsMixin,
    StrictCharField,
)

from ..models import Product, ProductType


class ProductInputSerializer(ModelLabelsMixin, serializers.Serializer):
    """Body of ``POST`` (all required fields) and ``PUT``/``PATCH`` (``partial=True``)."""

    label_model = Product

    ds_product_name = StrictCharField(
        allow_blank=True, trim_whitespace=True, help_text=_("3 a 255 caracteres, único.")
    )
    ds_product_description = StrictCharField(
        required=False, allow_blank=True, allow_null=True, help_text=_("Vazio vira null.")
    )
    # No max_digits/decimal_places here: the service checks bounds and places with its own
    # messages. The value arrives as Decimal (DecimalJSONParser) or a string, never a float.
    vr_price = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        error_messages={"null": NOT_NULL},
        help_text=_('Preço >= 0 com no máximo 2 casas decimais; número ou texto ("10.50")'),
    )
    id_product_type = serializers.ChoiceField(
        choices=ProductType.choices,
        required=False,
        error_messages={
            "invalid_choice": "Tipo inválido. Use 'produto' ou 'servico'.",
            "null": NOT_NULL,
        },
    )
    # ``initial``: the browsable API's checkbox starts checked. An unchecked box is simply
    # absent from a form post, which DRF reads as false: the form would create an INACTIVE
    # product where the same JSON (no ``is_active``) creates an active one.
    is_active = serializers.BooleanField(
        required=False, initial=True, error_messages={"null": NOT_NULL}
    )


class ProductOutputSerializer(CachedRepresentationMixin, serializers.ModelSerializer):
    vr_price = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Product
        fields = [
            "cd_product",
            "ds_product_name",
            "ds_product_description",
            "vr_price",
            "id_product_type",
            "is_active",
            "dt_product_created_at",
            "dt_product_updated_at",
        ]
        read_only_fields = fields


class ProductEnvelopeSerializer(serializers.Serializer):
    product = ProductOutputSerializer()


class ProductMessageEnvelopeSerializer(serializers.Serializer):
    message = serializers.CharField()
    product = ProductOutputSerializer()


class ProductListEnvelopeSerializer(ListEnvelopeSerializer):
    products = ProductOutputSerializer(many=True)


class ProductHistoryListEnvelopeSerializer(ListEnvelopeSerializer):
    history = ChangeEventOutputSerializer(many=True)
