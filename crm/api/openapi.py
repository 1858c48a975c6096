"""OpenAPI (drf-spectacular) glue for the platform's own API classes.

drf-spectacular knows simplejwt's authentication classes but not our subclass, and would leave
the schema without its Bearer scheme. Imported by ``CrmConfig.ready`` (extensions register on
import).
"""

from __future__ import annotations

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


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
