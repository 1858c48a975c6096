"""The one error family every domain raises, and the one handler that renders it.

Every error leaves the API as ``{"error": <message>}`` or ``{"error": {field: [messages]}}``
with the status the seed's contract gives (README, "API"). Domains subclass these in their
``errors.py`` (``CustomerNotFound(NotFound)``), so a caller in another domain can catch them by
meaning.
"""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class ApplicationError(Exception):
    """Base of every error the API answers on purpose."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_message: str = _("Requisição inválida.")

    def __init__(self, message: Any = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self.message))


class InvalidInput(ApplicationError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = _("Dados inválidos.")


class NotAuthenticated(ApplicationError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = _("Autenticação necessária.")


class Forbidden(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("Você não tem permissão para executar esta ação.")


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    default_message = _("Recurso não encontrado.")


class Conflict(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    default_message = _("Conflito com o estado atual do recurso.")


class ServiceUnavailable(ApplicationError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_message = _("Serviço temporariamente indisponível. Tente novamente em instantes.")


#: Seconds a client is told to wait (``Retry-After``) when the database does not answer.
DATABASE_RETRY_AFTER_SECONDS = 5

#: What a database that is down, restarting or unreachable raises (connection refused or lost,
#: a connection that died while idle): an outage, answered 503, never a 500. Other database
#: errors (a bad query) remain bugs.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE_ERRORS)


def database_unavailable_headers() -> dict[str, str]:
    return {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}


class Throttled(ApplicationError):
    """Too many requests: 429 with ``Retry-After`` (seconds)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("Muitas requisições. Tente novamente em %(seconds)d segundos.")


#: DRF messages written without gettext (so no catalogue translates them), in our language.
UNTRANSLATABLE_DRF_MESSAGES = {
    # Serializer.errors when the JSON body is ``null``.
    "No data provided": _("Nenhum dado enviado no corpo da requisição."),
}


def _messages(detail: Any) -> Any:
    """Turn DRF's ErrorDetail tree into plain strings: {field: [msgs]} or a message."""
    if isinstance(detail, dict):
        return {str(key): _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(item) for item in detail]
    text = str(detail)
    return str(UNTRANSLATABLE_DRF_MESSAGES.get(text, text))


def _error(payload: Any, status_code: int, headers: dict | None = None) -> Response:
    return Response({"error": payload}, status=status_code, headers=headers)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every handled error becomes ``{"error": ...}``."""
    # Imported here: rest_framework.views imports the authentication classes, which import us.
    from rest_framework.views import set_rollback

    if isinstance(exc, ApplicationError):
        set_rollback()
        return _error(_messages(exc.message), exc.status_code)

    if isinstance(exc, drf.Throttled):
        # DRF's own message is English-only and the wait is fractional; clients get whole
        # seconds (at least 1) in the header and the Portuguese message.
        seconds = max(1, math.ceil(exc.wait or 1))
        return _error(
            str(Throttled.default_message % {"seconds": seconds}),
            status.HTTP_429_TOO_MANY_REQUESTS,
            {"Retry-After": str(seconds)},
        )

    if is_database_unavailable(exc):
        set_rollback()
        logger.warning("database unavailable, answered 503: %s", exc)
        return _error(
            str(ServiceUnavailable.default_message),
            status.HTTP_503_SERVICE_UNAVAILABLE,
            database_unavailable_headers(),
        )

    if isinstance(exc, Http404):
        exc = drf.NotFound(NotFound.default_message)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(Forbidden.default_message)

    if isinstance(exc, drf.ValidationError):
        set_rollback()
        detail = _messages(exc.detail)
        if isinstance(detail, list):
            detail = detail[0] if len(detail) == 1 else {"non_field_errors": detail}
        return _error(detail, exc.status_code)

    if isinstance(exc, drf.ParseError):
        return _error(str(_("JSON malformado no corpo da requisição.")), exc.status_code)

    if isinstance(exc, drf.NotAuthenticated):
        return _error(
            str(_("Token de acesso ausente. Envie 'Authorization: Bearer <token>'.")),
            status.HTTP_401_UNAUTHORIZED,
            {"WWW-Authenticate": 'Bearer realm="api"'},
        )

    if isinstance(exc, drf.AuthenticationFailed):
        # simplejwt's InvalidToken carries a dict of internal details; clients get one message.
        message = exc.detail if isinstance(exc.detail, str) else _("Token inválido ou expirado.")
        if getattr(exc, "default_code", "") == "token_not_valid":
            message = _("Token inválido ou expirado.")
        return _error(
            str(message), status.HTTP_401_UNAUTHORIZED, {"WWW-Authenticate": 'Bearer realm="api"'}
        )

    if isinstance(exc, drf.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # SessionAuthentication's refusal (staff in the browsable API) is English and technical.
        return _error(
            str(
                _(
                    "Falha na verificação CSRF. Recarregue a página e tente de novo, "
                    "ou envie 'Authorization: Bearer <token>'."
                )
            ),
            status.HTTP_403_FORBIDDEN,
        )

    if isinstance(exc, drf.MethodNotAllowed):
        return _error(
            str(_("Método %(method)s não permitido neste recurso.") % {"method": exc.args[0]})
            if exc.args
            else str(exc.detail),
            exc.status_code,
        )

    if isinstance(exc, drf.APIException):
        headers = {}
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        detail = _messages(exc.detail)
        return _error(detail, exc.status_code, headers)

    # Safety nets: a database refusing a value is a client mistake, never a 500.
    if isinstance(exc, IntegrityError):
        set_rollback()
        logger.info("integrity error answered as 409: %s", exc)
        return _error(str(Conflict.default_message), status.HTTP_409_CONFLICT)
    if isinstance(exc, DataError):
        set_rollback()
        logger.info("data error answered as 400: %s", exc)
        return _error(str(InvalidInput.default_message), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RecursionError):
        # Input nested deeper than the code can follow (the JSON parser refuses it first; this
        # catches any other path): the request's fault, not the server's.
        set_rollback()
        logger.info("recursion error answered as 400")
        return _error(str(ApplicationError.default_message), status.HTTP_400_BAD_REQUEST)

    return None


def parse_uuid(value: str, *, name: str = "id") -> uuid.UUID:
    """An id taken from a path or query: not a UUID is a 400, never a 404 or a 500."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise InvalidInput(
            str(_("O identificador '%(name)s' não é um UUID válido.") % {"name": name})
        ) from None
