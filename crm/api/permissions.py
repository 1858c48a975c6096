"""Who may do what: every API view declares the Django permissions each method needs.

Roles are Django groups holding model permissions (the accounts domain creates them); views
never name a role. A view says, per HTTP method, which permissions (``"app_label.codename"``)
the acting user needs::

    class CustomerListCreateView(...):
        required_permissions = {
            "GET": ["customers.view_customer"],
            "POST": ["customers.add_customer"],
        }

``[]`` means "any authenticated user". A rule may depend on a query flag: a key
``"DELETE?hard_delete=true"`` adds its permissions to ``DELETE``'s when the request carries
that flag (read as the views read it: trimmed, case-insensitive, the last value). A view with
a rule beyond that overrides ``get_required_permissions(request, method)``.

``DeclaredPermissions`` is the project's ``DEFAULT_PERMISSION_CLASSES``: a view that declares
nothing for a method it serves is refused (403) and logged, so a new route without a rule is
closed, not open, and the route x role test fails on it. A view that is public says so
explicitly (``permission_classes = [AllowAny]``).

The check costs no database query on the hot path: a user's permission set (Django's
``get_all_permissions()``, superusers and groups included, empty for an inactive or deleted
user) is kept in Django's cache for ``CRM_PERMISSIONS_CACHE_SECONDS``. Whoever changes a
user's groups or a group's permissions calls ``forget_user_permissions`` /
``forget_all_permissions`` (the accounts domain does it for every such write), so a role change
takes effect on the next request; the expiry bounds staleness for anything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from uuid import UUID

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .exceptions import Forbidden

logger = logging.getLogger(__name__)

#: The cache alias holding the permission sets.
PERMISSIONS_CACHE = DEFAULT_CACHE_ALIAS
_GENERATION_KEY = "crm:perms:generation"
_USER_KEY = "crm:perms:user:{user_id}"
#: The staff session's user record (``crm.staff``) lives and dies with the permission set.
_STAFF_KEY = "crm:staff:user:{user_id}"


def _timeout() -> int:
    return int(getattr(settings, "CRM_PERMISSIONS_CACHE_SECONDS", 30))


#: ``loader(user_id=...)``: the user's permissions from where users live (the accounts domain
#: registers it at start-up; a process that does not serve accounts, its remote interface).
PermissionsLoader = Callable[..., frozenset[str]]
_loader: PermissionsLoader | None = None


def register_permissions_loader(loader: PermissionsLoader) -> None:
    global _loader
    _loader = loader


def _load_permissions(user_id: UUID) -> frozenset[str]:
    if _loader is None:
        raise ImproperlyConfigured("No permissions loader registered (accounts not installed?).")
    return _loader(user_id=user_id)


def permission_cache_keys(user_id: UUID) -> tuple[str, str]:
    """The cache keys ``user_permissions`` reads: whoever reads them anyway in this request
    (the token check, ``crm.api.authentication``) passes what it found as ``cached``."""
    return _GENERATION_KEY, _USER_KEY.format(user_id=user_id)


def staff_cache_key(user_id: UUID) -> str:
    """Where ``crm.staff`` keeps the user's record; forgotten with the permission set."""
    return _STAFF_KEY.format(user_id=user_id)


def user_permissions(user_id: UUID, *, cached: Mapping | None = None) -> frozenset[str]:
    """The user's Django permissions (``"app_label.codename"``), cached.

    One cache round trip per request (none when ``cached`` holds what was found under
    ``permission_cache_keys`` earlier in the request): the entry carries the generation it was
    computed under, and ``forget_all_permissions`` (a group's permissions changed) bumps the
    generation.
    """
    generation_key, user_key = permission_cache_keys(user_id)
    found = cached if cached is not None else cache.get_many([generation_key, user_key])
    generation = found.get(generation_key, 0)
    entry = found.get(user_key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    permissions = _load_permissions(user_id)
    cache.set(user_key, (generation, permissions), _timeout())
    return permissions


def forget_user_permissions(user_ids: Iterable[UUID]) -> None:
    """These users' groups, permissions or status changed: recompute on their next request
    (their permission sets and their staff session records, ``crm.staff``)."""
    keys = [
        key
        for user_id in user_ids
        for key in (_USER_KEY.format(user_id=user_id), _STAFF_KEY.format(user_id=user_id))
    ]
    if keys:
        cache.delete_many(keys)


def forget_all_permissions() -> None:
    """A group's (a role's) permissions changed: every cached permission set is stale."""
    if not cache.add(_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # expired between add and incr
            cache.set(_GENERATION_KEY, 1, timeout=None)


def has_permissions(request: Request, permissions: Sequence[str]) -> bool:
    """Whether the request's authenticated user holds every one of ``permissions``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not permissions:
        return True
    # Read with the token's state by JWTAuthentication (same request, same round trip).
    cached = getattr(user, "crm_cached_permissions", None)
    granted = user_permissions(UUID(str(user.pk)), cached=cached)
    return all(permission in granted for permission in permissions)


def declared_permissions(view, request: Request, method: str) -> Sequence[str] | None:
    """The permissions ``view`` declares for ``method`` (``None``: it declares nothing)."""
    getter = getattr(view, "get_required_permissions", None)
    if getter is not None:
        return getter(request, method)
    declared: Mapping[str, Sequence[str]] | None = getattr(view, "required_permissions", None)
    if declared is None or method not in declared:
        return None
    required = list(declared[method])
    for key, extra in declared.items():
        key_method, conditional, condition = key.partition("?")
        if not conditional or key_method != method:
            continue
        name, _equals, value = condition.partition("=")
        sent = request.query_params.get(name)
        if sent is not None and sent.strip().lower() == value.lower():
            required.extend(extra)
    return required


class DeclaredPermissions(BasePermission):
    """The default permission class: the method's declared permissions, or a refusal.

    * not authenticated: refused, and DRF answers 401 (not 403);
    * a method the view does not serve: let DRF answer 405;
    * ``HEAD`` follows ``GET``; ``OPTIONS`` (metadata only: DRF checks each method's rule
      again before describing its form) is open to an authenticated user wherever the view
      declares rules;
    * a served method without a declared rule: refused and logged (a bug, never an opening).
    """

    message = Forbidden.default_message

    def has_permission(self, request: Request, view) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        method = request.method.upper()
        if method == "HEAD":
            method = "GET"
        if not hasattr(view, method.lower()):
            return True
        if method == "OPTIONS":
            return bool(getattr(view, "required_permissions", None)) or hasattr(
                view, "get_required_permissions"
            )
        permissions = declared_permissions(view, request, method)
        if permissions is None:
            logger.error(
                "%s declares no permission rule for %s: refused",
                type(view).__name__,
                method,
            )
            return False
        return has_permissions(request, permissions)


__all__ = [
    "DeclaredPermissions",
    "declared_permissions",
    "forget_all_permissions",
    "forget_user_permissions",
    "has_permissions",
    "permission_cache_keys",
    "register_permissions_loader",
    "staff_cache_key",
    "user_permissions",
]
