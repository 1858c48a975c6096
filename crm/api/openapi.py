"""OpenAPI (drf-spectacular) glue for the platform's own API classes.

* drf-spectacular knows simplejwt's authentication classes but not our subclass, and would
  leave the schema without its Bearer scheme. Imported by ``CrmConfig.ready`` (extensions
  register on import).
* ``id_path_parameter``: every ``<entity>_id`` of a path is documented the same way.
* ``AutoSchema`` (``DEFAULT_SCHEMA_CLASS``): every list paginated through ``EnvelopeListMixin``
  documents ``page``/``per_page``, whatever response schema the view declares (spectacular only
  looks at ``pagination_class``, which the mixin replaces); every operation guarded by
  ``DeclaredPermissions`` documents its 403, which no view has to repeat.
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from .permissions import DeclaredPermissions
from .serializers import ErrorSerializer
from .views import EnvelopeListMixin


class BearerJWTScheme(SimpleJWTScheme):
    """``crm.api.authentication.JWTAuthentication``: ``Authorization: Bearer <access_token>``."""

    target_class = "crm.api.authentication.JWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        definition = super().get_security_definition(auto_schema)
        return {
            **definition,
            "description": (
                "Token de acesso (JWT) obtido em POST /auth/login, enviado como "
                "`Authorization: Bearer <access_token>`."
            ),
        }


class AutoSchema(openapi.AutoSchema):
    def _get_pagination_parameters(self):
        if self.method == "GET" and isinstance(self.view, EnvelopeListMixin):
            return self.view.paginator.get_schema_operation_parameters(self.view)
        return super()._get_pagination_parameters()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        guarded = any(isinstance(p, DeclaredPermissions) for p in self.view.get_permissions())
        if direction == "response" and guarded and "403" not in responses:
            responses["403"] = self._get_response_for_code(
                OpenApiResponse(
                    ErrorSerializer,
                    description="O papel do usuário não tem a permissão exigida.",
                ),
                "403",
            )
        return responses


def id_path_parameter(name: str, *, column: str) -> OpenApiParameter:
    """``customer_id`` in ``/api/customers/{customer_id}``: a UUID, the row's ``column``."""
    return OpenApiParameter(name, OpenApiTypes.UUID, OpenApiParameter.PATH, description=column)
