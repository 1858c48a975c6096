"""Input and output shapes of the auth API (the seed's field names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from crm.api.serializers import StrictCharField

from ..models import User


class StrictEmailField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ObjectInputSerializer(serializers.Serializer):
    """A request body must be a JSON object; DRF's messages for ``null`` and ``[]`` are
    English or name Python types."""

    default_error_messages = {"invalid": _("O corpo da requisição deve ser um objeto JSON.")}

    def validate_empty_values(self, data):
        if data is None:  # a JSON ``null`` body: DRF would answer "No data provided".
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [self.error_messages["invalid"]]},
                code="invalid",
            )
        return super().validate_empty_values(data)


class UserOutputSerializer(serializers.ModelSerializer):
    """Usuário como os clientes o veem (nunca a senha nem o seu hash)."""

    class Meta:
        model = User
        fields = ["cd_user", "ds_user", "ds_user_email", "dt_created_at", "is_active"]
        read_only_fields = fields


class RegisterInputSerializer(ObjectInputSerializer):
    ds_user = StrictCharField(max_length=150, label=_("nome"))
    ds_user_email = StrictEmailField(max_length=254, label=_("e-mail"))
    password = StrictCharField(
        max_length=256,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        label=_("senha"),
    )


class RegisterOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = UserOutputSerializer()


class LoginInputSerializer(ObjectInputSerializer):
    # Not an EmailField: a malformed e-mail is just a credential that does not match (401).
    ds_user_email = StrictCharField(max_length=254, label=_("e-mail"))
    password = StrictCharField(
        max_length=4096,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
        label=_("senha"),
    )


class LoginOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    user = UserOutputSerializer()


class RefreshTokenInputSerializer(ObjectInputSerializer):
    """Envie ``refresh_token`` (ou ``refresh``, o nome usado pelo simplejwt)."""

    refresh_token = StrictCharField(
        required=False, allow_blank=True, max_length=4096, label=_("refresh token")
    )
    refresh = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=4096,
        help_text=_("Sinônimo de refresh_token."),
    )

    def validate(self, attrs):
        token = attrs.get("refresh_token") or attrs.get("refresh")
        if not token:
            raise serializers.ValidationError(
                {"refresh_token": [_("Este campo é obrigatório.")]}, code="required"
            )
        return {"refresh_token": token}


class TokenPairOutputSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class MeOutputSerializer(serializers.Serializer):
    user = UserOutputSerializer()
