"""Auth endpoints: thin views over ``services`` (writes) and ``selectors`` (reads).

register/login/refresh/logout take no authentication at all, so a stale or broken
``Authorization`` header never stops a client from logging in again.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.api.authentication import acting_user_id
from crm.api.serializers import ErrorSerializer, MessageSerializer

from .. import selectors, services
from ..errors import InvalidCredentials
from . import throttles
from .serializers import (
    LoginInputSerializer,
    LoginOutputSerializer,
    MeOutputSerializer,
    RefreshTokenInputSerializer,
    RegisterInputSerializer,
    RegisterOutputSerializer,
    TokenPairOutputSerializer,
    UserOutputSerializer,
)

TAGS = [gettext_lazy("Autenticação")]


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class PublicAuthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


THROTTLED = gettext_lazy(
    "Muitas tentativas: tente de novo depois do tempo indicado em `Retry-After`."
)


class RegisterView(PublicAuthView):
    throttle_classes = throttles.REGISTER_THROTTLES
    # The browsable API's title and text (DRF's ``name``/``description`` hooks).
    name = gettext_lazy("Registrar usuário")
    description = gettext_lazy("Cria um usuário ativo a partir do nome, do e-mail e da senha.")

    @extend_schema(
        tags=TAGS,
        summary=gettext_lazy("Registrar um novo usuário"),
        description=gettext_lazy(
            "Cria um usuário ativo. A senha passa pelos validadores de senha do Django; "
            "o e-mail é único sem diferenciar maiúsculas de minúsculas e é guardado em minúsculas."
        ),
        request=RegisterInputSerializer,
        responses={
            201: RegisterOutputSerializer,
            400: _error(
                gettext_lazy("Dados inválidos (campos ausentes, tipos errados, senha fraca).")
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

    permission_classes = [IsAuthenticated]

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
