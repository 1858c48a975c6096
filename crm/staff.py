"""Staff sessions in every process: the admin and the browsable API of a split.

Staff log in once, where users live (the accounts domain's ``/admin/login/``), and use the
admin pages of every domain, each served by the process that serves that domain (the edge
routes ``/admin/<app>/`` to its owner). Three pieces make a session good everywhere:

* **One session store for all processes.** In a split (``CRM_DOMAINS`` not every domain) the
  session lives in the shared cache (Redis, ``REDIS_URL``), signed with the ``SECRET_KEY``
  every process shares; the monolith keeps Django's database sessions (settings).
* **One authentication backend path** (``crm.sessions.StaffBackend``) in every process, so
  the session's ``_auth_user_backend`` resolves wherever the session is read. Where users are
  served it is Django's ``ModelBackend``. Where they are not, it asks the owner of users
  through a *loader* registered at start-up (``register_staff_user_loader``: the composition
  root registers the accounts interface's ``staff_user``; ``crm`` imports no domain) and
  returns a ``StaffUser``: a user object without a table, built from a ``StaffUserRecord``
  (flags, the session auth hash, the permission set), which answers what the admin asks
  (``is_staff``, ``has_perm``, ``has_module_perms``...).
* **``crm.sessions.StaffSessionMiddleware``** replaces Django's ``AuthenticationMiddleware``
  where users are not served: it reads the session as ``django.contrib.auth.get_user`` does
  (the user id is the accounts user's UUID, which the placeholder user model there could not
  parse) and keeps Django's protection: a session whose auth hash no longer matches the
  user's (a password change) is flushed, an inactive or deleted user is anonymous.

The record is cached in the shared cache beside the user's permission set
(``crm.api.permissions``) and forgotten with it: the accounts domain forgets a user's entry on
any change of the user (password, ``is_active``, ``is_staff``), their groups or permissions, so
the next request in any process reads the new state; ``CRM_PERMISSIONS_CACHE_SECONDS`` bounds
anything else. When the owner of users does not answer and nothing is cached, the request
answers 503 ``{"error": ...}``, never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings
from django.core.cache import cache

from .api.permissions import permission_cache_keys, staff_cache_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffUserRecord:
    """What a process without the users table needs to know of a session's user."""

    cd_user: UUID
    ds_user: str
    ds_user_email: str
    is_active: bool
    is_staff: bool
    is_superuser: bool
    #: ``get_session_auth_hash()`` of the user (an HMAC of the password hash under
    #: ``SECRET_KEY``), and the same under each of ``SECRET_KEY_FALLBACKS``.
    session_auth_hash: str
    session_auth_fallback_hashes: tuple[str, ...] = ()
    #: Django permissions (``"app_label.codename"``), groups and superuser included.
    permissions: frozenset[str] = frozenset()


#: ``loader(user_id=...)``: the record, or ``None`` for an unknown user.
StaffUserLoader = Callable[..., "StaffUserRecord | None"]
_loader: StaffUserLoader | None = None


def register_staff_user_loader(loader: StaffUserLoader | None) -> None:
    """Where users are not served, the composition root says where to ask (the accounts
    interface's ``staff_user``). ``None``: users are served here (``ModelBackend``)."""
    global _loader
    _loader = loader


def users_served_elsewhere() -> bool:
    return _loader is not None


def staff_user_record(user_id: UUID) -> StaffUserRecord | None:
    """The user's record: the shared cache, or the owner of users on a miss (kept for
    ``CRM_PERMISSIONS_CACHE_SECONDS`` under the permissions' generation, forgotten with the
    user's permission set). Raises ``ServiceUnavailable`` when neither answers."""
    if _loader is None:
        raise RuntimeError("users are served in this process: use ModelBackend")
    generation_key, _permissions_key = permission_cache_keys(user_id)
    key = staff_cache_key(user_id)
    try:
        found = cache.get_many([generation_key, key])
    except Exception:  # the cache is down: ask the owner every time, stay correct
        logger.exception("staff user cache unavailable; asking the owner of users")
        found = None
    if found is not None:
        entry = found.get(key)
        if entry is not None and entry[0] == found.get(generation_key, 0):
            return entry[1]
    record = _loader(user_id=user_id)
    if found is not None:
        try:
            cache.set(
                key,
                (found.get(generation_key, 0), record),
                int(getattr(settings, "CRM_PERMISSIONS_CACHE_SECONDS", 30)),
            )
        except Exception:
            logger.exception("staff user cache unavailable; not cached")
    return record


class StaffUser:
    """A session's user in a process without the users table: no database row, no save.
    Answers what the admin, the browsable API and the audit trail ask of ``request.user``."""

    is_anonymous = False
    is_authenticated = True

    def __init__(self, record: StaffUserRecord) -> None:
        self.record = record
        self.pk = self.id = self.cd_user = record.cd_user
        self.ds_user = record.ds_user
        self.ds_user_email = record.ds_user_email
        self.is_active = record.is_active
        self.is_staff = record.is_staff
        self.is_superuser = record.is_superuser

    def __str__(self) -> str:
        return f"{self.ds_user} <{self.ds_user_email}>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StaffUser) and other.pk == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)

    def get_username(self) -> str:
        return self.ds_user_email

    def get_full_name(self) -> str:
        return self.ds_user

    def get_short_name(self) -> str:
        return self.ds_user

    def get_session_auth_hash(self) -> str:
        return self.record.session_auth_hash

    def get_session_auth_fallback_hash(self):
        yield from self.record.session_auth_fallback_hashes

    def get_all_permissions(self, obj=None) -> set[str]:
        return set(self.record.permissions) if self.is_active and obj is None else set()

    def has_perm(self, perm: str, obj=None) -> bool:
        # As Django's PermissionsMixin: an active superuser holds every permission.
        if not self.is_active or obj is not None:
            return bool(self.is_active and self.is_superuser)
        return self.is_superuser or perm in self.record.permissions

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active:
            return False
        prefix = f"{app_label}."
        return self.is_superuser or any(p.startswith(prefix) for p in self.record.permissions)

    def save(self, *args, **kwargs) -> None:
        raise NotImplementedError("a staff user of another process cannot be saved here")

    def delete(self, *args, **kwargs) -> None:
        raise NotImplementedError("a staff user of another process cannot be deleted here")


__all__ = [
    "StaffUser",
    "StaffUserRecord",
    "register_staff_user_loader",
    "staff_user_record",
    "users_served_elsewhere",
]
