"""The accounts domain's errors: each one is a ``crm.api.exceptions`` subclass, so the
platform's handler renders it as ``{"error": ...}`` with the right status."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from crm.api.exceptions import ApplicationError, Conflict, NotFound


class EmailAlreadyRegistered(Conflict):
    default_message = _("E-mail já cadastrado.")


class InvalidCredentials(ApplicationError):
    """One message for unknown e-mail, wrong password and inactive account alike: the answer
    must not tell a caller whether an e-mail is registered."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = _("E-mail ou senha inválidos.")


class InvalidToken(ApplicationError):
    """A refresh token that is malformed, expired, revoked, of the wrong type, or whose user is
    gone or inactive."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = _("Token inválido ou expirado.")


class AccountUnavailable(ApplicationError):
    """A valid access token whose user was deleted or deactivated since it was issued.

    401 rather than 404: the credential no longer identifies a usable account, and a client's
    right reaction is the same as for an expired token (log in again)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_message = _("Usuário não encontrado ou inativo.")


class UserNotFound(NotFound):
    default_message = _("Usuário não encontrado.")
