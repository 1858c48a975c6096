"""Input and output shapes of the auth API (the seed's field names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from crm.api.serializers import CachedRepresentationMixin, ListEnvelopeSerializer, StrictCharField

from ..models import User
from ..roles import ROLES


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


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true``/``false``, nothing else (DRF would also take "sim", 1, "on"...)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class RoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("papel"))
        kwargs.setdefault("help_text", _("admin, manager, sales ou viewer."))
        super().__init__(choices=[(role, role) for role in ROLES], **kwargs)


class UserOutputSerializer(CachedRepresentationMixin, serializers.ModelSerializer):
    """Usuário como os clientes o veem (nunca a senha nem o seu hash).

    ``ds_role``: ``admin``, ``manager``, ``sales``, ``viewer``, ou ``null`` (sem papel)."""

    ds_role = serializers.ChoiceField(
        choices=[(role, role) for role in ROLES], read_only=True, allow_null=True
    )

    class Meta:
        model = User
        fields = ["cd_user", "ds_user", "ds_user_email", "dt_created_at", "is_active", "ds_role"]
        read_only_fields = fields


class ManagedUserOutputSerializer(UserOutputSerializer):
    """Usuário como um administrador o vê (com o acesso ao painel e o último login)."""

    class Meta(UserOutputSerializer.Meta):
        fields = [*UserOutputSerializer.Meta.fields, "is_staff", "last_login"]
        read_only_fields = fields


class UserUpdateInputSerializer(ObjectInputSerializer):
    """Campos que um administrador pode alterar; os ausentes ficam como estão."""

    ds_user = StrictCharField(max_length=150, required=False, label=_("nome"))
    ds_role = RoleField(required=False)
    is_active = StrictBooleanField(required=False, label=_("ativo"))
    is_staff = StrictBooleanField(
        required=False, label=_("equipe"), help_text=_("Pode entrar no painel administrativo.")
    )


class UserEnvelopeSerializer(serializers.Serializer):
    user = ManagedUserOutputSerializer()


class UserMessageEnvelopeSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = ManagedUserOutputSerializer()


class UserListEnvelopeSerializer(ListEnvelopeSerializer):
    users = ManagedUserOutputSerializer(many=True)


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
    ds_role = RoleField(
        required=False,
        help_text=_(
            "Só um administrador pode escolher; sem ele, o papel é o de CRM_REGISTRATION_ROLE."
        ),
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
