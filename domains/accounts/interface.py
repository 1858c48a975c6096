"""Accounts domain: the public interface.

Purpose: staff and API users (custom user model), registration, login, JWT issuing.
Owns: schema ``accounts`` (alias ``default``): table ``user`` plus Django's contrib tables
(auth, admin, contenttypes, sessions) and the JWT refresh-token blacklist.
Publishes: no events. Calls: no other domain.

Other domains never read the user table: they hold a user's ``cd_user`` as a plain UUID and
ask here for what they need to show, in one batch.

Served by another process (``CRM_DOMAINS``): the functions in ``INTERNAL_API`` are called at
``POST /internal/accounts/<function>`` (``crm.remote`` derives the endpoints and the client from
their signatures); errors cross as the same classes. Dataclasses live in ``records.py``
and the implementation is imported per call, so this module imports without the models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from uuid import UUID

from crm.api.authentication import TokenState
from crm.bulk_import import ImportOutcome
from crm.staff import StaffUserRecord

from .records import SeedUser

# The implementation is imported inside each function: a process that does not serve this
# domain still imports this module (its names, dataclasses and errors) for ``crm.remote``.

#: What other processes may call over HTTP (``crm.remote``: ``POST /internal/accounts/<name>``,
#: built from these functions' signatures); each is a read or idempotent, batch-first.
INTERNAL_API = (
    "staff_user",
    "user_names",
    "user_permissions",
    "user_token_state",
    "user_tokens_revoke",
)

__all__ = [
    "INTERNAL_API",
    "ImportOutcome",
    "SeedUser",
    "StaffUserRecord",
    "TokenState",
    "staff_user",
    "user_demo_clear",
    "user_demo_counts",
    "user_demo_load",
    "user_names",
    "user_permissions",
    "user_token_state",
    "user_tokens_revoke",
    "users_import",
]


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    """Display names (``ds_user``) for many users at once; unknown ids are left out."""
    from . import selectors

    return selectors.user_names(user_ids=user_ids)


def user_token_state(*, user_id: UUID) -> TokenState | None:
    """What decides whether the user's tokens are accepted (active, token version, revoked
    sessions), or ``None`` when there is no such user. ``crm.api.authentication`` asks it on a
    cache miss, in whichever process checks the token."""
    from . import selectors

    return selectors.user_token_state(user_id=user_id)


def user_permissions(*, user_id: UUID) -> frozenset[str]:
    """The user's Django permissions (``"app_label.codename"``, groups and superuser
    included); empty for an inactive or unknown user. ``crm.api.permissions`` caches it."""
    from . import selectors

    return selectors.user_permissions(user_id=user_id)


def staff_user(*, user_id: UUID) -> StaffUserRecord | None:
    """What another process needs to honour a staff session of this user (the admin and the
    browsable API of a split, ``crm.staff``): flags, the session auth hash (a password change
    ends every session) and the permission set; ``None`` for an unknown user."""
    from . import selectors

    return selectors.staff_user(user_id=user_id)


def user_tokens_revoke(*, user_id: UUID) -> None:
    """Revoke every token already issued to the user (e.g. after a role change): refused on
    every endpoint, in every process, from the next request on. New logins work."""
    from . import services

    services.user_tokens_revoke(user_ids=[user_id])


def users_import(
    *, rows: Iterable[SeedUser], role: str | None, dry_run: bool = False
) -> ImportOutcome:
    """Bring the seed's users over, keeping their UUIDs and werkzeug password hashes (checked
    by ``hashers.WerkzeugPasswordHasher``, upgraded on first login). Rows already present (by
    ``cd_user``) are left alone; rows breaking the registration's rules are refused in the
    outcome. All or nothing; ``dry_run`` writes nothing. Imported users join the auth Group
    named ``role`` when it exists (a note in the outcome otherwise)."""
    from . import seed_import

    return seed_import.users_import(rows=rows, role=role, dry_run=dry_run)


# --- Demo data (``manage.py seed_demo``) -------------------------------------------------------


def user_demo_load(*, seed: int, count: int, end_date: dt.date) -> tuple[UUID, ...]:
    """Insert ``count`` demo users (who cannot log in: unusable passwords; e-mails at
    ``crm-demo.example``) in one transaction; their ids, in order. Deterministic by ``seed``."""
    from . import demo

    return demo.user_demo_load(seed=seed, count=count, end_date=end_date)


def user_demo_counts() -> dict[str, int]:
    """Demo users present (``{"user": N}``); real accounts are not counted."""
    from . import demo

    return demo.user_demo_counts()


def user_demo_clear() -> None:
    """Remove the demo users (``seed_demo --force``); real accounts are kept."""
    from . import demo

    demo.user_demo_clear()
