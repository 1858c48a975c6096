"""Turn a request into "the acting user's id" for the domains, and refuse revoked tokens.

The seed's gateway validated the JWT and injected ``X-User-Id``; here the platform does the same
in-process. ``JWTAuthentication`` checks the token's signature, type, ``exp`` and ``jti``
(simplejwt), then asks **the shared cache** (Redis in production, ``REDIS_URL``) whether the
token is still good for its user:

* the user exists and is active;
* the token's ``ver`` claim equals the user's current token version (deactivation, deletion,
  password change and role change bump it: every token issued before is refused);
* neither the token's login session (``sid``, shared by every token of one login and its
  refreshes) nor its own ``jti`` was revoked (``/auth/logout``).

That is one cache read per request, no database read; the user's permission set
(``crm.api.permissions``) comes back in the same read (one ``MGET``), so an authenticated API
request makes one Redis round trip in all. Only on a cache miss does the platform
ask the accounts domain (a *loader* it registers at start-up, ``register_token_state_loader``;
``crm`` imports no domain) and keep the answer for ``CRM_TOKEN_STATE_CACHE_SECONDS``. Whoever
changes that state calls ``token_state_forget`` so every process sees the change at its next
request. Without Redis (``make run``) the local-memory cache serves one process only.

Staff using the browsable API are authenticated by Django's session instead (Django re-reads
the user each request and drops the session on a password change); ``acting_user_id`` works
for both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTStatelessUserAuthentication
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.utils import aware_utcnow

from .exceptions import NotAuthenticated
from .permissions import PERMISSIONS_CACHE, permission_cache_keys

logger = logging.getLogger(__name__)

#: Claim holding the user's token version when the token was issued (absent: version 0).
VERSION_CLAIM = "ver"
#: Claim holding the login session id: the same in a login's refresh token, its rotations and
#: every access token issued from them, so a logout revokes the whole family.
SESSION_CLAIM = "sid"

CACHE_KEY_PREFIX = "crm:auth:user:"
_MISSING = "missing"  # cached answer for "no such user" (a well-signed token for nobody)


@dataclass(frozen=True)
class TokenState:
    """What decides whether a user's tokens are still accepted."""

    is_active: bool
    token_version: int = 0
    #: Session ids (``sid``) and token ids (``jti``) revoked and not yet expired.
    revoked: frozenset[str] = frozenset()


#: ``loader(user_id=...)`` reads the state from its owner's database; ``None``: no such user.
TokenStateLoader = Callable[..., "TokenState | None"]
_loader: TokenStateLoader | None = None


def register_token_state_loader(loader: TokenStateLoader) -> None:
    """The accounts domain registers where the truth lives (its ``AppConfig.ready``)."""
    global _loader
    _loader = loader


def _cache():
    return caches[settings.CRM_TOKEN_STATE_CACHE]


def _shares_permission_cache() -> bool:
    return settings.CRM_TOKEN_STATE_CACHE == PERMISSIONS_CACHE


def _key(user_id: UUID) -> str:
    return f"{CACHE_KEY_PREFIX}{user_id}"


def token_state_and(
    user_id: UUID, *, also: Sequence[str] = ()
) -> tuple[TokenState | None, dict | None]:
    """The user's token state (the shared cache, or the owner's database on a miss), and the
    values found under ``also``: more keys of the same cache read in the same round trip (one
    ``MGET``; the permission set's, ``crm.api.permissions``), or ``None`` when the cache could
    not be read."""
    if _loader is None:
        raise ImproperlyConfigured("No token state loader registered (accounts not installed?).")
    key = _key(user_id)
    try:
        found = _cache().get_many([key, *also])
    except Exception:  # the cache is down: stay correct (the database), just slower
        logger.exception("token state cache unavailable; reading the database")
        return _loader(user_id=user_id), None
    cached = found.pop(key, None)
    if cached == _MISSING:
        return None, found
    if cached is not None:
        state = TokenState(
            is_active=cached["is_active"],
            token_version=cached["token_version"],
            revoked=frozenset(cached["revoked"]),
        )
        return state, found
    state = _loader(user_id=user_id)
    value = (
        _MISSING
        if state is None
        else {
            "is_active": state.is_active,
            "token_version": state.token_version,
            "revoked": sorted(state.revoked),
        }
    )
    try:
        _cache().set(key, value, timeout=settings.CRM_TOKEN_STATE_CACHE_SECONDS)
    except Exception:
        logger.exception("token state cache unavailable; not cached")
    return state, found


def token_state_forget(*, user_ids: Iterable[UUID]) -> None:
    """Drop the cached state of these users: the next request of any process re-reads it.

    Call it after the change is visible to other connections (after commit) — and, to close
    the window before commit too, right away as well (both are cheap).
    """
    keys = [_key(user_id) for user_id in set(user_ids)]
    if not keys:
        return
    try:
        _cache().delete_many(keys)
    except Exception:
        # The entries expire by themselves after CRM_TOKEN_STATE_CACHE_SECONDS.
        logger.exception("token state cache unavailable; could not forget %d users", len(keys))


#: Access tokens whose signature and claims this process verified (raw token -> token).
#: Verifying costs a base64 scan, an HMAC and a JSON parse per request; a token seen before is
#: only checked again for expiry. Bounded: emptied when full. Revocation is not cached here
#: (``get_user`` asks the shared cache on every request).
VERIFIED_TOKENS_MAX = 4096
_verified_tokens: dict[tuple, object] = {}


class JWTAuthentication(JWTStatelessUserAuthentication):
    """``Authorization: Bearer <access token>``; ``request.user`` is a ``TokenUser``."""

    www_authenticate_realm = "api"

    def get_validated_token(self, raw_token: bytes):
        key = (jwt_settings.SIGNING_KEY, raw_token)  # another key verifies afresh
        token = _verified_tokens.get(key)
        if token is not None:
            try:
                token.check_exp(current_time=aware_utcnow())
            except TokenError:
                _verified_tokens.pop(key, None)  # expired: simplejwt answers why, below
            else:
                return token
        token = super().get_validated_token(raw_token)
        if len(_verified_tokens) >= VERIFIED_TOKENS_MAX:
            _verified_tokens.clear()
        _verified_tokens[key] = token
        return token

    def get_user(self, validated_token):
        user = super().get_user(validated_token)  # a TokenUser: no database read
        try:
            user_id = UUID(str(validated_token[jwt_settings.USER_ID_CLAIM]))
        except (KeyError, ValueError):
            raise AuthenticationFailed(
                _("Token inválido ou expirado."), code="token_not_valid"
            ) from None
        # The permission set the view will check is read in the same cache round trip when
        # both live in one cache (they do unless CRM_TOKEN_STATE_CACHE says otherwise).
        also = permission_cache_keys(user_id) if _shares_permission_cache() else ()
        state, found = token_state_and(user_id, also=also)
        if also and found is not None:
            user.crm_cached_permissions = found
        if state is None or not state.is_active:
            raise AuthenticationFailed(
                _("Usuário não encontrado ou inativo."), code="user_inactive"
            )
        version = validated_token.get(VERSION_CLAIM)
        if version is None:  # every token we issue carries it: this one was made elsewhere
            raise AuthenticationFailed(
                _("Token inválido ou expirado."), code="token_not_valid"
            ) from None
        ids = {validated_token.get(SESSION_CLAIM), validated_token.get(jwt_settings.JTI_CLAIM)}
        if version != state.token_version or ids & state.revoked:
            raise AuthenticationFailed(_("Token revogado. Faça login novamente."), code="revoked")
        return user


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
