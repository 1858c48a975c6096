"""Turn a request into "the acting user's id" for the domains.

The seed's gateway validated the JWT and injected ``X-User-Id``; here the platform does the same
in-process: ``JWTAuthentication`` validates the token **without reading the user table**
(stateless, so any number of app processes can serve it), and ``acting_user_id`` gives domains
a plain UUID. Staff using the browsable API are authenticated by Django's session instead;
``acting_user_id`` works for both.
"""

from __future__ import annotations

from uuid import UUID

from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication

from .exceptions import NotAuthenticated


class JWTAuthentication(JWTStatelessUserAuthentication):
    """``Authorization: Bearer <access token>``; ``request.user`` is a ``TokenUser``."""

    www_authenticate_realm = "api"


def acting_user_id(request: Request) -> UUID:
    """The authenticated user's ``cd_user``, whichever way they authenticated."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return UUID(str(user.pk))


def optional_token_user_id(request: Request) -> UUID | None:
    """On a public endpoint (no authentication classes, so a stale header never blocks anyone):
    the user id of a valid ``Bearer`` token when one came, else ``None``. A missing, broken or
    expired token is simply "anonymous" here."""
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    if authenticated is None:
        return None
    return UUID(str(authenticated[0].pk))
