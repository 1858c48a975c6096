"""Pushing a change of token revocation state to the platform's shared cache.

``crm.api.authentication`` refuses a token whose user is gone or inactive, whose ``ver`` is
older than the user's ``nr_token_version``, or whose session (``sid``) or id (``jti``) was
revoked. It reads that from the shared cache, and on a miss from
``selectors.user_token_state`` (registered at start-up in ``apps.py``). Whoever changes that
state in the database calls ``tokens_forget``. (Kept apart from ``models``/``selectors`` so the
model can call it without an import cycle.)
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from crm.api.authentication import token_state_forget


def tokens_forget(*, user_ids: Iterable[UUID], using: str | None) -> None:
    """Drop the cached state now and again once the change is committed: the first closes
    the window before commit, the second one where a request re-cached the old row while the
    transaction was still open."""
    ids = [user_id for user_id in user_ids if user_id is not None]
    token_state_forget(user_ids=ids)
    transaction.on_commit(lambda: token_state_forget(user_ids=ids), using=using)
