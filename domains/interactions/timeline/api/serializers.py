"""Input/output shapes of the interaction timeline API (seed field names).

The input serializer checks the JSON *shape* (a text is a JSON string, a type is one of the
choices, a date parses); the rules on values (notes length, trimming) are ``validators``', run
by the service whoever calls it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.api.serializers import (
    CachedRepresentationMixin,
    ListEnvelopeSerializer,
    ModelLabelsMixin,
    StrictCharField,
)

from ..models import Interaction, InteractionType
from ..validators import FIRST_YEAR, LAST_YEAR


class BoundedDateTimeField(serializers.DateTimeField):
    """Near the years 1 or 9999 a datetime overflows when DRF converts it to UTC (a 500): the
    validators' year range is checked here first, while parsing."""

    default_error_messages = {
        "out_of_range": _("Data fora do intervalo aceito (anos 1900 a 2999)."),
    }
    #: ``enforce_timezone`` below only refuses other years first: output serializers
    #: (``CachedRepresentationMixin``) may convert the years in range inline.
    representation_years = (FIRST_YEAR, LAST_YEAR)

    def to_internal_value(self, value):
        # Django's ISO parser tolerates some trailing garbage (a NUL byte, say): refuse it.
        if isinstance(value, str) and not value.isprintable():
            self.fail("invalid", format="ISO 8601")
        return super().to_internal_value(value)

    def enforce_timezone(self, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail("out_of_range")
        return super().enforce_timezone(value)


class InteractionInputSerializer(ModelLabelsMixin, serializers.Serializer):
    label_model = Interaction

    ds_notes = StrictCharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("5 a 5000 caracteres (sem contar espaços nas pontas)."),
    )
    id_interaction_type = serializers.ChoiceField(
        choices=InteractionType.choices,
        error_messages={
            "invalid_choice": _(
                "Tipo de interação inválido. Use venda, ligacao, email, reuniao ou contato."
            ),
        },
    )
    dt_interaction = BoundedDateTimeField(
        required=False,
        allow_null=True,
        help_text=_("ISO 8601; sem fuso horário = horário do servidor; ausente = agora."),
    )


class InteractionOutputSerializer(CachedRepresentationMixin, serializers.Serializer):
    cd_interaction = serializers.UUIDField()
    cd_customer = serializers.UUIDField()
    cd_user = serializers.UUIDField()
    ds_user = serializers.CharField(
        allow_null=True, help_text=_("Nome do autor (além do seed); null se desconhecido.")
    )
    ds_notes = serializers.CharField()
    id_interaction_type = serializers.ChoiceField(choices=InteractionType.choices)
    dt_interaction = BoundedDateTimeField()
    dt_created_at = serializers.DateTimeField()


class InteractionEnvelopeSerializer(serializers.Serializer):
    interaction = InteractionOutputSerializer()


class InteractionMessageEnvelopeSerializer(serializers.Serializer):
    message = serializers.CharField()
    interaction = InteractionOutputSerializer()


class InteractionListEnvelopeSerializer(ListEnvelopeSerializer):
    interactions = InteractionOutputSerializer(many=True)
