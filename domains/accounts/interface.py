"""Accounts domain: the public interface.

Purpose: staff and API users (custom user model), registration, login, JWT issuing.
Owns: schema ``accounts`` (alias ``default``): table ``user`` plus Django's contrib tables
(auth, admin, contenttypes, sessions) and the JWT refresh-token blacklist.
Publishes: no events. Calls: no other domain.

Other domains never read the user table: they hold a user's ``cd_user`` as a plain UUID and
ask here for what they need to show, in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from . import selectors, services

__all__ = ["user_names", "user_tokens_revoke"]


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    """Display names (``ds_user``) for many users at once; unknown ids are left out."""
    return selectors.user_names(user_ids=user_ids)


def user_tokens_revoke(*, user_id: UUID) -> None:
    """Revoke every token already issued to the user (e.g. after a role change): refused on
    every endpoint, in every process, from the next request on. New logins work."""
    services.user_tokens_revoke(user_ids=[user_id])
