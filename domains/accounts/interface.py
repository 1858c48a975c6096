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

from . import selectors

__all__ = ["user_names"]


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    """Display names (``ds_user``) for many users at once; unknown ids are left out."""
    return selectors.user_names(user_ids=user_ids)
