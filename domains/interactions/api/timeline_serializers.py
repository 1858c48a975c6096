"""Input/output shapes of the interaction timeline API (seed field names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from crm.api.serializers import ListEnvelopeSerializer, ModelLabelsMixin

from ..models import Interaction, InteractionType

# Years outside this range are typos, and near 1 or 9999 a datetime overflows when it is
# converted to UTC (DRF itself raises OverflowError there: a 500 without this bound).
FIRST_YEAR, LAST_YEAR = 1900, 2999


class StrictCharField(serializers.CharField):
    """A JSON string only: DRF's CharField would turn ``12345`` or ``true`` into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BoundedDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "out_of_range": _("Data fora do intervalo aceito (anos 1900 a 2999)."),
    }

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
        min_length=5,
        max_length=5000,
        trim_whitespace=True,
        error_messages={
            "invalid": _("Informe um texto."),
            "required": _("Este campo é obrigatório."),
            "blank": _("Este campo não pode ficar em branco."),
            "min_length": _("As anotações devem ter pelo menos {min_length} caracteres."),
            "max_length": _("As anotações devem ter no máximo {max_length} caracteres."),
        },
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


class InteractionOutputSerializer(serializers.Serializer):
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


class InteractionCreatedSerializer(serializers.Serializer):
    message = serializers.CharField()
    interaction = InteractionOutputSerializer()


class InteractionPageSerializer(ListEnvelopeSerializer):
    """The seed's list envelope (documentation only)."""

    interactions = InteractionOutputSerializer(many=True)
