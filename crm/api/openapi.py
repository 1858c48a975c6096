"""OpenAPI (drf-spectacular) glue for the platform's own API classes.

* drf-spectacular knows simplejwt's authentication classes but not our subclass, and would
  leave the schema without its Bearer scheme. Imported by ``CrmConfig.ready`` (extensions
  register on import).
* ``id_path_parameter``: every ``<entity>_id`` of a path is documented the same way.
* ``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``): every list paginated through ``EnvelopeListMixin``
  documents ``page``/``per_page``/``cursor``, whatever response schema the view declares
  (spectacular only looks at ``pagination_class``, which the mixin replaces); every operation
  guarded by ``DeclaredPermissions`` documents its 403, which no view has to repeat.
* ``AutoSchema`` also documents what the platform answers on every operation, so a client (and
  schemathesis, in CI) finds every status the server can send: path ids (``*_id``) are UUIDs
  (anything else is a 400); 400 for a malformed body or id, 401 where a token is needed, 404
  where an id is in the path, 429 where anonymous clients are throttled, 503 (with
  ``Retry-After``) when the database is unavailable. A view's own description of a status wins.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny

from .permissions import DeclaredPermissions
from .serializers import ErrorSerializer
from .views import EnvelopeListMixin

#: status -> description of the platform's own answers (see the module docstring).
PLATFORM_RESPONSES = {
    "400": "Requisição inválida (JSON malformado, identificador que não é UUID, dados inválidos).",
    "401": "Token de acesso ausente, inválido, expirado ou revogado.",
    "404": "Recurso não encontrado.",
    "429": "Muitas requisições: tente de novo depois do tempo indicado em `Retry-After`.",
    "503": "Banco de dados indisponível: tente de novo depois do tempo indicado em `Retry-After`.",
}


class BearerJWTScheme(SimpleJWTScheme):
    """``crm.api.authentication.JWTAuthentication``: ``Authorization: Bearer <access_token>``."""

    target_class = "crm.api.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        return {
            **definition,
            "description": _(
                "Token de acesso (JWT) obtido em POST /auth/login, enviado como "
                "`Authorization: Bearer <access_token>`."
            ),
        }


class AutoSchema(openapi.AutoSchema):
    def _get_pagination_parameters(self):
        if self.method == "GET" and isinstance(self.view, EnvelopeListMixin):
            return self.view.paginator.get_schema_operation_parameters(self.view)
        return super()._get_pagination_parameters()

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["name"].endswith("_id"):
                parameter["schema"] = {"type": "string", "format": "uuid"}
        return parameters

    def _is_public(self) -> bool:
        return any(issubclass(p, AllowAny) for p in getattr(self.view, "permission_classes", []))

    def _platform_statuses(self) -> list[str]:
        statuses = ["503"]
        if self.method in {"POST", "PUT", "PATCH"} or "{" in self.path:
            statuses.append("400")
        if "{" in self.path:
            statuses.append("404")
        if self._is_public():
            statuses.append("429")  # anonymous clients are throttled (crm.api.throttling)
        else:
            statuses.append("401")
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code in self._platform_statuses():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=PLATFORM_RESPONSES[status_code]),
                    status_code,
                    direction=direction,
                )
        guarded = any(isinstance(p, DeclaredPermissions) for p in self.view.get_permissions())
        if direction == "response" and guarded and "403" not in responses:
            responses["403"] = self._get_response_for_code(
                OpenApiResponse(
                    ErrorSerializer,
                    description="O papel do usuário não tem a permissão exigida.",
                ),
                "403",
            )
        if "503" in responses or "429" in responses:
            for status_code in ("429", "503"):
                if status_code in responses:
                    responses[status_code].setdefault("headers", {})["Retry-After"] = {
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "Segundos até tentar de novo.",
                    }
        return responses


def id_path_parameter(name: str, *, column: str) -> OpenApiParameter:
    """``customer_id`` in ``/api/customers/{customer_id}``: a UUID, the row's ``column``."""
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=column)
