"""Auth and user-management endpoints: thin views over ``services`` and ``selectors``.

register/login/refresh/logout take no authentication at all, so a stale or broken
``Authorization`` header never stops a client from logging in again (register reads a valid
token, leniently, only to recognise an admin). Each view declares the Django permissions its
methods need (``crm.api.permissions``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.authentication import acting_user_id, optional_token_user_id
from crm.api.exceptions import parse_uuid
from crm.api.openapi import id_path_parameter
from crm.api.permissions import user_permissions
from crm.api.serializers import ErrorSerializer, MessageSerializer
from crm.api.views import EnvelopeListMixin

from .. import selectors, services
from ..errors import InvalidCredentials
from ..models import User
from ..roles import ROLES
from . import throttles
from .serializers import (
    LoginInputSerializer,
    LoginOutputSerializer,
    ManagedUserOutputSerializer,
    MeOutputSerializer,
    RefreshTokenInputSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenPairOutputSerializer,
    UserEnvelopeSerializer,
    UserListEnvelopeSerializer,
    UserMessageEnvelopeSerializer,
    UserOutputSerializer,
    UserUpdateInputSerializer,
)

TAGS = [gettext_lazy("Autenticação")]
USER_TAGS = [gettext_lazy("Usuários")]
#: Who may create users with any role, whatever CRM_REGISTRATION says (the admin role).
CREATE_USERS = "accounts.add_user"


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class PublicAuthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class RegistrationPolicy(BasePermission):
    """``CRM_REGISTRATION``: ``open`` lets anyone register (with ``CRM_REGISTRATION_ROLE``);
    ``closed`` only a user holding ``accounts.add_user`` (an admin, by token). Only such a user
    may choose the new user's role (``ds_role``)."""

    def has_permission(self, request: Request, view) -> bool:
        registrar_id = optional_token_user_id(request)
        may_create_users = registrar_id is not None and CREATE_USERS in user_permissions(
            registrar_id
        )
        if may_create_users:
            return True
        # Refuse by returning False with a message (not by raising): the browsable API asks
        # permissions while rendering a form, and only DRF's own refusal is handled there.
        if settings.CRM_REGISTRATION != "open":
            self.message = gettext_lazy(
                "O cadastro de usuários está fechado; peça a um administrador."
            )
            return False
        if isinstance(request.data, dict) and request.data.get("ds_role") is not None:
            self.message = gettext_lazy("Somente um administrador pode escolher o papel.")
            return False
        return True


THROTTLED = gettext_lazy(
    "Muitas tentativas: tente de novo depois do tempo indicado em `Retry-After`."
)


class RegisterView(PublicAuthView):
    permission_classes = [RegistrationPolicy]
    throttle_classes = throttles.REGISTER_THROTTLES
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Registrar usuário")
    description = gettext_lazy("Cria um usuário ativo a partir do nome, do e-mail e da senha.")

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Registrar um novo usuário"),
        description=gettext_lazy(
            "Cria um usuário ativo. A senha passa pelos validadores de senha do Django; "
            "o e-mail é único sem diferenciar maiúsculas de minúsculas e é guardado em minúsculas. "
            "Com `CRM_REGISTRATION=closed` (padrão em produção), só um administrador (token com a "
            "permissão `accounts.add_user`) cadastra usuários; com `open`, qualquer um, e o novo "
            "usuário recebe o papel `CRM_REGISTRATION_ROLE`. Só um administrador escolhe `ds_role`."
        ),
        request=RegisterInputSerializer,
        responses={
            201: RegisterOutputSerializer,
            400: _error(
                gettext_lazy("Dados inválidos (campos ausentes, tipos errados, senha fraca).")
            ),
            403: _error(
                gettext_lazy("Cadastro fechado, ou papel escolhido por quem não é administrador.")
            ),
            409: _error(gettext_lazy("E-mail já cadastrado.")),
            429: _error(THROTTLED),
        },
        examples=[
            OpenApiExample(
                "Registro",
                value={
                    "ds_user": "Ana Souza",
                    "ds_user_email": "ana@example.com",
                    "password": "s3nha-Forte-2026",
                },
                request_only=True,
            )
        ],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        return Response(
            {
                "message": _("Usuário registrado com sucesso."),
                "user": UserOutputSerializer(user).data,
            },
            status=status.HTTP_201_CREATED,
        )


class LoginView(PublicAuthView):
    throttle_classes = throttles.LOGIN_THROTTLES
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Entrar")
    description = gettext_lazy(
        "Troca e-mail e senha por um access token (Bearer) e um refresh token."
    )

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Entrar (obter tokens JWT)"),
        description="Troca e-mail e senha por um access token (Bearer) e um refresh token. "
        "E-mail desconhecido, senha errada e usuário inativo recebem a mesma resposta 401.",
        request=LoginInputSerializer,
        responses={
            200: LoginOutputSerializer,
            400: _error(gettext_lazy("Campos ausentes ou de tipo errado.")),
            401: _error(gettext_lazy("E-mail ou senha inválidos.")),
            429: _error(
                gettext_lazy(
                    "Muitas tentativas deste endereço, ou conta bloqueada por falhas seguidas de "
                    "login; tente de novo depois do tempo indicado em `Retry-After`."
                )
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.user_login(**serializer.validated_data)
        except InvalidCredentials:
            throttles.login_failed(request)
            raise
        throttles.login_succeeded(request)
        return Response(
            {
                "message": _("Login realizado com sucesso."),
                "access_token": result.tokens.access_token,
                "refresh_token": result.tokens.refresh_token,
                "user": UserOutputSerializer(result.user).data,
            }
        )


class RefreshView(PublicAuthView):
    throttle_classes = throttles.REFRESH_THROTTLES
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Renovar tokens")
    description = gettext_lazy("Entrega um novo par de tokens; o refresh token enviado é revogado.")

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Renovar os tokens (rotação do refresh token)"),
        description=gettext_lazy(
            "Entrega um novo par de tokens; o refresh token enviado é revogado e não "
            "pode ser usado de novo. Aceita o campo `refresh_token` ou `refresh`."
        ),
        request=RefreshTokenInputSerializer,
        responses={
            200: TokenPairOutputSerializer,
            400: _error(gettext_lazy("Refresh token ausente.")),
            401: _error(gettext_lazy("Token inválido, expirado ou revogado.")),
            429: _error(THROTTLED),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshTokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tokens = services.token_refresh(**serializer.validated_data)
        return Response(
            {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token}
        )


class LogoutView(PublicAuthView):
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Sair")
    description = gettext_lazy("Revoga o refresh token enviado.")

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Sair (revogar os tokens deste login)"),
        description=gettext_lazy(
            "Revoga o refresh token enviado e todos os access tokens emitidos no mesmo "
            "login (também os de antes de uma renovação): recusados em todos os endpoints a "
            "partir da próxima requisição. Os outros logins do usuário continuam valendo."
        ),
        request=RefreshTokenInputSerializer,
        responses={
            200: MessageSerializer,
            400: _error(gettext_lazy("Refresh token ausente.")),
            401: _error(gettext_lazy("Token inválido, expirado ou já revogado.")),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshTokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.token_revoke(**serializer.validated_data)
        return Response({"message": _("Logout realizado com sucesso.")})


class MeView(APIView):
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Usuário autenticado")
    description = gettext_lazy("O usuário dono do access token.")

    required_permissions = {"GET": []}  # any authenticated user

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Usuário autenticado"),
        description=gettext_lazy(
            "O usuário dono do access token. Um token de usuário removido ou desativado recebe 401."
        ),
        responses={
            200: MeOutputSerializer,
            401: _error(
                gettext_lazy("Token ausente, inválido ou expirado, ou usuário inexistente/inativo.")
            ),
        },
    )
    def get(self, request: Request) -> Response:
        user = selectors.user_active_get(user_id=acting_user_id(request))
        return Response({"user": UserOutputSerializer(user).data})


USER_ID = id_path_parameter("user_id", column="cd_user")


def _user_id(raw: str):
    return parse_uuid(raw, name="user_id")


class UserListView(EnvelopeListMixin, GenericAPIView):
    """Every user, for the admins (seed list envelope)."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Usuários")
    description = gettext_lazy("Lista os usuários com os seus papéis (somente administradores).")

    required_permissions = {"GET": ["accounts.view_user"]}
    envelope_key = "users"
    default_per_page = 20
    queryset = User.objects.none()  # only for schema generation; reads go via selectors
    serializer_class = ManagedUserOutputSerializer

    @extend_schema(
        tags=USER_TAGS,
        operation_id="api_users_list",
        summary="Lista usuários (administradores)",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="Nome ou e-mail."),
            OpenApiParameter("ds_role", OpenApiTypes.STR, enum=list(ROLES)),
            OpenApiParameter("is_active", OpenApiTypes.BOOL),
        ],
        responses={
            200: UserListEnvelopeSerializer,
            400: _error("Parâmetro inválido."),
            401: _error("Token ausente, inválido ou expirado."),
            403: _error("Sem permissão (só administradores)."),
        },
    )
    def get(self, request: Request) -> Response:
        users = selectors.user_list(filters=request.query_params)
        page = self.paginate_queryset(users)
        return self.get_paginated_response(ManagedUserOutputSerializer(page, many=True).data)


class UserDetailView(APIView):
    """One user: read, or change name, role, status and admin-site access (admins)."""

    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Usuário")
    description = gettext_lazy(
        "Um usuário: consulta e alteração de nome, papel, status e acesso ao painel "
        "(somente administradores)."
    )

    required_permissions = {"GET": ["accounts.view_user"], "PATCH": ["accounts.change_user"]}
    serializer_class = UserUpdateInputSerializer  # the browsable API's form

    @extend_schema(
        tags=USER_TAGS,
        operation_id="api_users_retrieve",
        summary="Detalhe de um usuário (administradores)",
        parameters=[USER_ID],
        responses={
            200: UserEnvelopeSerializer,
            400: _error("Identificador inválido."),
            401: _error("Token ausente, inválido ou expirado."),
            403: _error("Sem permissão (só administradores)."),
            404: _error("Usuário não encontrado."),
        },
    )
    def get(self, request: Request, user_id: str) -> Response:
        user = selectors.user_get(user_id=_user_id(user_id))
        return Response({"user": ManagedUserOutputSerializer(user).data})

    @extend_schema(
        tags=USER_TAGS,
        operation_id="api_users_partial_update",
        parameters=[USER_ID],
        summary="Altera nome, papel, status ou acesso ao painel de um usuário (administradores)",
        description="Campos ausentes ficam como estão. Ninguém altera o próprio papel, nem se "
        "desativa, nem tira o próprio acesso ao painel.",
        request=UserUpdateInputSerializer,
        responses={
            200: UserMessageEnvelopeSerializer,
            400: _error("Dados inválidos."),
            401: _error("Token ausente, inválido ou expirado."),
            403: _error("Sem permissão (só administradores)."),
            404: _error("Usuário não encontrado."),
        },
    )
    def patch(self, request: Request, user_id: str) -> Response:
        cd_user = _user_id(user_id)
        serializer = UserUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(
            user_id=cd_user, acting_user_id=acting_user_id(request), **serializer.validated_data
        )
        return Response(
            {
                "message": _("Usuário atualizado com sucesso."),
                "user": ManagedUserOutputSerializer(user).data,
            }
        )
