from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from .models import User


def user_names(*, user_ids: Iterable[UUID]) -> dict[UUID, str]:
    ids = set(user_ids)
    if not ids:
        return {}
    return dict(User.objects.filter(cd_user__in=ids).values_list("cd_user", "ds_user"))


def user_get(*, user_id: UUID) -> User | None:
    return User.objects.filter(cd_user=user_id).first()


def user_active_get(*, user_id: UUID) -> User | None:
    """The user, when it exists and may still use the API."""
    return User.objects.filter(cd_user=user_id, is_active=True).first()


def user_email_taken(*, ds_user_email: str) -> bool:
    """Case-insensitive, like the database's ``Lower(ds_user_email)`` unique constraint."""
    return User.objects.filter(ds_user_email__iexact=ds_user_email).exists()
